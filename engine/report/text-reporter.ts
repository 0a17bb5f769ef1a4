import { basename } from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import { assertNever, type TaskStatus } from '../types/outcome.js';
import type { HostCounters, RunEvent, TaskInfo } from '../types/events.js';
import type { Reporter } from './reporter.js';
import { actionOf, resultJson } from './result-json.js';
import { renderDiff } from './diff-text.js';

export interface TextReporterOptions {
  readonly write: (text: string) => void;
  readonly color: boolean;
  readonly verbosity: number;
  readonly diff: boolean;
  readonly columns?: number;
}

const DEBUG_ALLOWED_KEYS = new Set(['msg', 'exception', 'warnings', 'deprecations']);
const DEBUG_HIDDEN_KEYS = ['changed', 'failed', 'skipped', 'invocation', 'skip_reason'];

/** A task's identity for banners (ansible compares task uuids). */
function bannerKey(task: TaskInfo): string {
  return `${task.isHandler ? 'H' : 'T'}:${task.loc.file}:${task.loc.line}:${task.loc.col}:${task.name}`;
}

/** Python's textwrap.wrap(text, width) joined with newlines: greedy, on spaces, long words split. */
function wrapText(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/).filter((w) => w !== '')) {
    while (word.length > width) {
      const room = line === '' ? width : width - line.length - 1;
      if (room <= 0) { lines.push(line); line = ''; continue; }
      line = line === '' ? word.slice(0, room) : `${line} ${word.slice(0, room)}`;
      lines.push(line);
      line = '';
      word = word.slice(room);
    }
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line = `${line} ${word}`;
    else { lines.push(line); line = word; }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

/** ansible's default stdout callback: banners, one line per host, PLAY RECAP. */
export class TextReporter implements Reporter {
  readonly #o: TextReporterOptions;
  readonly #c: ChalkInstance;
  /** like ansible's default callback: free and host_pinned plays print a task's banner with its results. */
  #lockstep = true;
  /** ansible's _last_task_banner: the task whose banner was printed last. */
  #lastBanner: string | undefined;
  /** Controller warnings already printed (ansible's Display dedups them). */
  readonly #warned = new Set<string>();

  constructor(opts: TextReporterOptions) {
    this.#o = opts;
    this.#c = new Chalk({ level: opts.color ? 1 : 0 });
  }

  #banner(msg: string): void {
    const cols = this.#o.columns ?? 80;
    this.#o.write(`\n${msg} ${'*'.repeat(Math.max(3, cols - msg.length - 1))}\n`);
  }

  #taskBanner(task: TaskInfo): void {
    this.#banner(`${task.isHandler ? 'RUNNING HANDLER' : 'TASK'} [${task.name}]`);
    if (this.#o.verbosity >= 2) this.#line(`task path: ${task.loc.file}:${task.loc.line}`); // ansible: no column
    this.#lastBanner = bannerKey(task);
  }

  /** like ansible's `if self._last_task_banner != result._task._uuid: self._print_task_banner(...)`. */
  #bannerFor(task: TaskInfo): void {
    if (!this.#lockstep && this.#lastBanner !== bannerKey(task)) this.#taskBanner(task);
  }

  #line(text: string): void {
    this.#o.write(`${text}\n`);
  }

  #colorFor(status: TaskStatus): (s: string) => string {
    switch (status) {
      case 'ok': return this.#c.green;
      case 'changed': return this.#c.yellow;
      case 'skipped': return this.#c.cyan;
      case 'failed': return this.#c.red;
      case 'unreachable': return this.#c.redBright;
      default: return assertNever(status);
    }
  }

  #hostPart(host: string, delegatedTo?: string): string {
    return delegatedTo ? `[${host} -> ${delegatedTo}]` : `[${host}]`;
  }

  #resultLine(status: TaskStatus, host: string, result: Readonly<Record<string, unknown>>, opts: { delegatedTo?: string; label?: string; action?: string }): string {
    const hp = this.#hostPart(host, opts.delegatedTo);
    const item = opts.label !== undefined ? ` => (item=${opts.label})` : '';
    // like ansible's _run_is_verbose: -v, or results flagged verbose-always (debug, assert)
    const verbose = this.#o.verbosity > 0 || result._ansible_verbose_always === true;
    // like ansible's _dump_results: indented only for verbose-always results or at -vvv
    const indent = result._ansible_verbose_always === true || this.#o.verbosity > 2 ? 4 : undefined;
    // like ansible's TaskResult.clean_copy: callbacks never see the failed/skipped keys
    const drop = ['failed', 'skipped'];
    // like ansible's _clean_results: a debug result with msg shows msg alone (no loop/index
    // vars), a var= result loses its bookkeeping keys
    if (opts.action === 'debug') {
      drop.push(...('msg' in result ? Object.keys(result).filter((k) => !DEBUG_ALLOWED_KEYS.has(k)) : DEBUG_HIDDEN_KEYS));
    }
    const dump = () => resultJson(result, indent, { drop });
    switch (status) {
      case 'failed': {
        // like ansible's _handle_exception: the exception's last line goes before the result, not in it
        const ex = typeof result.exception === 'string' ? `${this.#exceptionText(result.exception)}\n` : '';
        if (ex !== '') drop.push('exception');
        return ex + (opts.label !== undefined ? `failed: ${hp} (item=${opts.label}) => ${dump()}` : `fatal: ${hp}: FAILED! => ${dump()}`);
      }
      case 'unreachable':
        return `fatal: ${hp}: UNREACHABLE! => ${dump()}`;
      case 'skipped':
        // ansible's item skip line ends with a space before the optional " => ..."
        return `skipping: ${hp}${opts.label !== undefined ? ` => (item=${opts.label}) ` : ''}${verbose ? ` => ${dump()}` : ''}`;
      case 'ok':
      case 'changed':
        return `${status}: ${hp}${item}${verbose ? ` => ${dump()}` : ''}`;
      default:
        return assertNever(status);
    }
  }

  #exceptionText(exception: string): string {
    if (this.#o.verbosity >= 3) return `The full traceback is:\n${exception}`;
    const last = exception.trim().split('\n').pop() ?? '';
    return `An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${last}`;
  }

  handle(e: RunEvent): void {
    const c = this.#c;
    switch (e.kind) {
      case 'playbook_start':
        if (this.#o.verbosity > 1) {
          this.#banner(`PLAYBOOK: ${basename(e.file)}`); // ansible: a banner from -vv
          if (e.plays !== undefined) this.#line(`${e.plays} plays in ${e.given ?? e.file}`); // like ansible's PlaybookExecutor
        }
        return;
      case 'play_start':
        // like ansible: _last_task_banner survives the play (a serial batch does not repeat a free task's banner)
        this.#lockstep = e.strategy === undefined || e.strategy === 'linear';
        this.#banner(`PLAY [${e.name}]`);
        return;
      case 'no_hosts':
        this.#o.write(`${c.magentaBright('skipping: no hosts matched')}\n`);
        return;
      case 'task_start':
        // like ansible's default callback (display_skipped_hosts=true): every task shows its banner
        // at once, except under free/host_pinned where a banner comes with each host's results
        if (this.#lockstep) this.#taskBanner(e.task);
        return;
      case 'host_result': {
        this.#bannerFor(e.task);
        // like ansible's default callback: an include's ok result shows only as its "included:" line
        if (e.status === 'ok' && (e.task.action === 'include_tasks' || e.task.action === 'include_role')) return;
        // like ansible: a loop's items were printed one by one; only an all-skipped loop gets a host line
        const isLoop = Array.isArray(e.result.results);
        // like ansible: v2_on_file_diff comes before the host line; for a loop, every changed item's diff
        // modules return a diff only in diff mode (-D or the task's diff keyword), so show any
        for (const r of isLoop ? (e.result.results as Record<string, unknown>[]) : [e.result]) {
          if (r.diff !== undefined && r.changed === true) this.#o.write(renderDiff(r.diff));
        }
        // like ansible's _handle_warnings: a module's warnings print before its host line, and leave the result
        const { warnings, ...withoutWarnings } = e.result;
        if (e.status !== 'skipped' && Array.isArray(warnings)) for (const w of warnings) this.#o.write(`${c.magentaBright(wrapText(`[WARNING]: ${String(w)}`, 79))}\n`);
        if (!isLoop || e.status === 'skipped' || e.status === 'unreachable') {
          // ansible shows a skipped loop's summary without its results list
          const { results: _items, ...summary } = withoutWarnings;
          const shown = isLoop && e.status === 'skipped' ? summary : withoutWarnings;
          this.#line(this.#colorFor(e.status)(this.#resultLine(e.status, e.host, shown, { delegatedTo: e.delegatedTo, action: actionOf(e) })));
        }
        if (e.ignored && e.status === 'failed') this.#line(c.cyan('...ignoring')); // ansible prints no ...ignoring for ignore_unreachable
        return;
      }
      case 'item_result': {
        this.#bannerFor(e.task);
        // like ansible: a no_log item is shown as (item=None)
        const line = this.#resultLine(e.status, e.host, e.result, { delegatedTo: e.delegatedTo, label: e.noLog ? 'None' : e.label, action: actionOf(e) });
        this.#line(this.#colorFor(e.status)(line));
        return;
      }
      case 'included':
        this.#line(c.cyan(`included: ${e.file} for ${e.hosts.join(', ')}${e.item !== undefined ? ` => (item=${e.item})` : ''}`));
        return;
      case 'retry':
        this.#line(c.red(`FAILED - RETRYING: [${e.host}]: ${e.task.name} (${e.retries} retries left).`));
        return;
      case 'warning':
        // like ansible's Display.warning: wrapped to 79 columns; not deduplicated, as warnings
        // raised while running tasks come from forked workers that do not share the seen-set,
        // except those of the controller itself
        if (e.once === true && this.#warned.has(e.message)) return;
        if (e.once === true) this.#warned.add(e.message);
        this.#o.write(`${c.magentaBright(wrapText(`[WARNING]: ${e.message}`, 79))}\n`);
        return;
      case 'debug_log':
        this.#o.write(`${c.blue(e.message)}\n`);
        return;
      case 'retry_file':
        // like ansible: printed after the last play, before the recap
        this.#o.write(`\tto retry, use: --limit @${e.path}\n`);
        return;
      case 'recap':
        this.#recap(e.stats);
        return;
      default:
        assertNever(e);
    }
  }

  #recap(stats: ReadonlyMap<string, HostCounters>): void {
    const c = this.#c;
    this.#banner('PLAY RECAP');
    const col = (name: string, n: number, color: (s: string) => string) => {
      const text = `${name}=${String(n).padEnd(4)}`;
      return n > 0 ? color(text) : text;
    };
    for (const h of [...stats.keys()].sort()) {
      const s = stats.get(h)!;
      const hostColor = s.failures > 0 ? c.red : s.unreachable > 0 ? c.redBright : s.changed > 0 ? c.yellow : c.green;
      this.#o.write(
        `${hostColor(h.padEnd(26))} : ${col('ok', s.ok, c.green)} ${col('changed', s.changed, c.yellow)} ${col('unreachable', s.unreachable, c.redBright)} ${col('failed', s.failures, c.red)} ${col('skipped', s.skipped, c.cyan)} ${col('rescued', s.rescued, c.magenta)} ${col('ignored', s.ignored, c.magenta)}\n`,
      );
    }
    this.#o.write('\n');
  }

  finish(): void {}
}
