import { assertNever } from '../types/outcome.js';
import type { RunEvent } from '../types/events.js';
import type { Reporter } from './reporter.js';
import { actionOf, visibleResult } from './result-json.js';

interface JsonTask { task: { name: string; path: string }; hosts: Record<string, Record<string, unknown>> }
interface JsonPlay { play: { name: string }; tasks: JsonTask[] }

/**
 * The shape of ansible's `json` stdout callback (plays → tasks → hosts, then stats), so tools
 * and conformance tests read both the same way.
 */
export class JsonReporter implements Reporter {
  readonly #plays: JsonPlay[] = [];
  readonly #write: (text: string) => void;
  /** like ansible's json callback: a play not in LOCKSTEP_CALLBACKS gets a task entry per host result. */
  #lockstep = true;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  #currentPlay(): JsonPlay {
    if (this.#plays.length === 0) this.#plays.push({ play: { name: '' }, tasks: [] });
    return this.#plays[this.#plays.length - 1]!;
  }

  handle(e: RunEvent): void {
    switch (e.kind) {
      case 'play_start':
        this.#plays.push({ play: { name: e.name }, tasks: [] });
        this.#lockstep = e.strategy === undefined || e.strategy === 'linear';
        return;
      case 'task_start':
        if (this.#lockstep) this.#currentPlay().tasks.push({ task: { name: e.task.name, path: `${e.task.loc.file}:${e.task.loc.line}` }, hosts: {} });
        return;
      case 'host_result': {
        const tasks = this.#currentPlay().tasks;
        if (!this.#lockstep) tasks.push({ task: { name: e.task.name, path: `${e.task.loc.file}:${e.task.loc.line}` }, hosts: {} });
        const t = tasks[tasks.length - 1];
        if (t) t.hosts[e.host] = { ...visibleResult(e.result), action: actionOf(e), ...(e.ignored ? { _ansible_ignored: true } : {}) };
        return;
      }
      case 'recap':
        // like ansible's json callback: a document at each playbook file's stats, with every play so far
        this.#write(`${JSON.stringify({ plays: this.#plays, stats: Object.fromEntries(e.stats) }, null, 4)}\n`);
        return;
      case 'playbook_start':
      case 'no_hosts':
      case 'item_result':
      case 'included':
      case 'retry':
      case 'warning':
      case 'retry_file':
      case 'debug_log':
        return;
      default:
        assertNever(e);
    }
  }

  finish(): void {}
}
