import type { RunEvent, TaskInfo } from '../types/events.js';
import type { Reporter } from './reporter.js';
import { renderDiff } from './diff-text.js';
import { resultJson } from './result-json.js';

/** One task that would change a host, with the diffs of what it would change. */
interface PendingChange { readonly task: TaskInfo; readonly diffs: string; readonly hidden: boolean }
interface HostFailure { readonly task: TaskInfo; readonly status: 'failed' | 'unreachable'; readonly detail: string }

/** What `tsplay plan` decided: the CLI turns it into the exit code (0 none, 2 changes, 1 failures). */
export type PlanVerdict = 'no-change' | 'changes' | 'failed';

function changedDiffs(result: Readonly<Record<string, unknown>>): string {
  const items = Array.isArray(result.results) ? (result.results as Record<string, unknown>[]) : [result];
  return items.filter((r) => r.changed === true && r.diff !== undefined).map((r) => renderDiff(r.diff)).join('');
}

function indent(text: string, by: string): string {
  return text.replace(/\n+$/, '').split('\n').map((l) => `${by}${l}`).join('\n');
}

/**
 * `tsplay plan`: a check + diff run reported per host — the tasks that would change it with
 * their diffs, the hosts that would fail — then a summary. no_log tasks show that they would
 * change but never their diff (secrets stay masked).
 */
export class PlanReporter implements Reporter {
  readonly #write: (text: string) => void;
  readonly #changes = new Map<string, PendingChange[]>();
  readonly #failures = new Map<string, HostFailure>();
  readonly #hosts = new Set<string>();
  #verdict: PlanVerdict = 'no-change';

  readonly #where: (file: string) => string;

  /** `where` shortens a task's file for display (the CLI makes it relative to the current folder). */
  constructor(write: (text: string) => void, where: (file: string) => string = (f) => f) {
    this.#write = write;
    this.#where = where;
  }

  get verdict(): PlanVerdict {
    return this.#verdict;
  }

  handle(e: RunEvent): void {
    if (e.kind === 'play_start') e.hosts.forEach((h) => this.#hosts.add(h));
    if (e.kind !== 'host_result') return;
    this.#hosts.add(e.host);
    if ((e.status === 'failed' && !e.ignored) || e.status === 'unreachable') {
      const msg = typeof e.result.msg === 'string' ? e.result.msg : resultJson(e.noLog ? {} : e.result);
      this.#failures.set(e.host, { task: e.task, status: e.status, detail: msg });
    }
    if (e.status !== 'changed' && !(e.status === 'failed' && e.result.changed === true)) return;
    const list = this.#changes.get(e.host) ?? [];
    list.push({ task: e.task, diffs: e.noLog ? '' : changedDiffs(e.result), hidden: e.noLog });
    this.#changes.set(e.host, list);
  }

  #hostSection(host: string): string {
    const failure = this.#failures.get(host);
    const changes = this.#changes.get(host) ?? [];
    const head = failure !== undefined
      ? `${host}: would FAIL (${failure.status}) at [${failure.task.name}]: ${failure.detail}`
      : changes.length === 0 ? `${host}: no change` : `${host}: ${changes.length} task${changes.length === 1 ? '' : 's'} would change`;
    const rows = changes.map((c) => {
      const where = `${this.#where(c.task.loc.file)}:${c.task.loc.line}`;
      const title = `  ~ ${c.task.role !== undefined ? `${c.task.role} : ` : ''}${c.task.name}  (${where})`;
      if (c.hidden) return `${title}\n    (diff hidden: no_log)`;
      return c.diffs === '' ? title : `${title}\n${indent(c.diffs, '    ')}`;
    });
    return [head, ...rows].join('\n');
  }

  finish(): void {
    const hosts = [...this.#hosts].sort();
    const changing = hosts.filter((h) => (this.#changes.get(h)?.length ?? 0) > 0);
    const tasks = changing.reduce((n, h) => n + this.#changes.get(h)!.length, 0);
    this.#verdict = this.#failures.size > 0 ? 'failed' : changing.length > 0 ? 'changes' : 'no-change';
    this.#write(`\nPLAN (check mode: nothing was changed)\n\n${hosts.map((h) => this.#hostSection(h)).join('\n\n')}\n\n`);
    const failed = this.#failures.size > 0 ? `, ${this.#failures.size} would fail` : '';
    this.#write(`Summary: ${changing.length} of ${hosts.length} host${hosts.length === 1 ? '' : 's'} would change (${tasks} task${tasks === 1 ? '' : 's'})${failed}.\n`);
  }
}
