import { assertNever } from '../types/outcome.js';
import type { RunEvent, TaskInfo } from '../types/events.js';
import type { Reporter } from './reporter.js';
import { visibleResult } from './result-json.js';

/** One line of the event stream (engine/report/events.schema.json is its published schema). */
type StreamTask = { name: string; action: string; file: string; line: number; handler: boolean; role?: string };

// like ansible: what a no_log result shows instead of its content
const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export interface EventStreamOptions {
  readonly write: (line: string) => void;
  /** Milliseconds since the epoch (injected so tests control time). */
  readonly now: () => number;
}

/**
 * `--events FILE|-`: one JSON object per line as things happen, for CI systems and dashboards.
 * Durations are measured from the task's start on the controller; no_log results are censored
 * like ansible's (only `changed` and the censored note remain).
 */
export class EventStreamReporter implements Reporter {
  readonly #o: EventStreamOptions;
  readonly #started: number;
  #taskStarted = 0;

  constructor(opts: EventStreamOptions) {
    this.#o = opts;
    this.#started = opts.now();
  }

  #emit(event: string, fields: Record<string, unknown>): void {
    this.#o.write(`${JSON.stringify({ event, time: new Date(this.#o.now()).toISOString(), ...fields })}\n`);
  }

  #task(t: TaskInfo): StreamTask {
    return { name: t.name, action: t.action, file: t.loc.file, line: t.loc.line, handler: t.isHandler, ...(t.role !== undefined ? { role: t.role } : {}) };
  }

  #result(result: Readonly<Record<string, unknown>>, noLog: boolean): Record<string, unknown> {
    return noLog ? { censored: CENSORED, changed: result.changed === true } : visibleResult(result);
  }

  handle(e: RunEvent): void {
    switch (e.kind) {
      case 'playbook_start':
        return this.#emit('playbook_start', { file: e.file });
      case 'play_start':
        return this.#emit('play_start', { name: e.name, hosts: [...e.hosts], file: e.loc.file, line: e.loc.line });
      case 'no_hosts':
        return this.#emit('no_hosts', { name: e.name });
      case 'task_start':
        this.#taskStarted = this.#o.now();
        return this.#emit('task_start', { task: this.#task(e.task) });
      case 'host_result':
        return this.#emit('host_result', {
          task: this.#task(e.task), host: e.host, status: e.status, duration_ms: this.#o.now() - this.#taskStarted,
          ignored: e.ignored, ...(e.delegatedTo !== undefined ? { delegated_to: e.delegatedTo } : {}), result: this.#result(e.result, e.noLog),
        });
      case 'item_result':
        return this.#emit('item_result', {
          task: this.#task(e.task), host: e.host, status: e.status, item: e.noLog ? null : e.label,
          ...(e.delegatedTo !== undefined ? { delegated_to: e.delegatedTo } : {}), result: this.#result(e.result, e.noLog),
        });
      case 'included':
        return this.#emit('included', { file: e.file, hosts: [...e.hosts], ...(e.item !== undefined ? { item: e.item } : {}) });
      case 'retry':
        return this.#emit('retry', { task: this.#task(e.task), host: e.host, attempt: e.attempt, retries: e.retries });
      case 'warning':
        return this.#emit('warning', { message: e.message });
      case 'debug_log':
        return; // transport chatter (-vvv) is not part of the stream: it may carry command lines
      case 'retry_file':
        return this.#emit('retry_file', { path: e.path });
      case 'recap':
        return this.#emit('recap', { stats: Object.fromEntries(e.stats) });
      default:
        assertNever(e);
    }
  }

  finish(): void {
    this.#emit('playbook_end', { elapsed_ms: this.#o.now() - this.#started });
  }
}
