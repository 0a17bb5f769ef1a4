import { assertNever } from '../types/outcome.js';
import type { RunEvent } from '../types/events.js';
import type { Reporter } from './reporter.js';

export interface ProgressOptions {
  /** The terminal: raw text, control sequences included. */
  readonly out: (text: string) => void;
  readonly now: () => number;
  readonly columns: () => number;
  /** Tasks each play holds before includes expand, by play index (the "of n" of "task i of n"). */
  readonly plannedTasks: readonly number[];
  /** Redraw period for the clock; 0 disables the timer (tests drive redraws by events). */
  readonly tickMs?: number;
}

const CLEAR_LINE = '\r\x1b[2K';

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

/**
 * Live progress on a TTY: one status line kept at the bottom of the screen (play, task i of n,
 * hosts done / changed / failed / unreachable for the task, elapsed time, the hosts still
 * running and for how long), redrawn under the normal ansible-style lines, which pass through
 * `writeAbove` unchanged. Never used when stdout is not a TTY or with --no-progress.
 */
export class ProgressDisplay implements Reporter {
  readonly #o: ProgressOptions;
  readonly #started: number;
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  #play = '';
  #playIndex = -1;
  #taskIndex = 0;
  /** free / host_pinned: task_start comes once per host; a task counts once (by its place). */
  #lockstep = true;
  readonly #seenTasks = new Set<string>();
  #task = '';
  #taskStarted = 0;
  #hosts: string[] = [];
  #out = new Set<string>();
  #done = new Map<string, 'ok' | 'changed' | 'failed' | 'unreachable' | 'skipped'>();
  #shown = false;

  constructor(opts: ProgressOptions) {
    this.#o = opts;
    this.#started = opts.now();
    const tick = opts.tickMs ?? 1000;
    this.#timer = tick > 0 ? setInterval(() => this.#redraw(), tick) : undefined;
    this.#timer?.unref();
  }

  /** Ordinary output: printed above the status line, which is drawn again below it. */
  readonly writeAbove = (text: string): void => {
    this.#o.out(`${this.#shown ? CLEAR_LINE : ''}${text}`);
    this.#shown = false;
    if (text.endsWith('\n')) this.#redraw();
  };

  handle(e: RunEvent): void {
    switch (e.kind) {
      case 'play_start':
        this.#play = e.name;
        this.#playIndex += 1;
        this.#taskIndex = 0;
        this.#lockstep = e.strategy === undefined || e.strategy === 'linear';
        this.#seenTasks.clear();
        this.#hosts = [...e.hosts];
        this.#out.clear();
        this.#task = '';
        break;
      case 'task_start': {
        const where = `${e.task.loc.file}:${e.task.loc.line}:${e.task.loc.col}`;
        if (!this.#lockstep && this.#seenTasks.has(where)) break;
        this.#seenTasks.add(where);
        this.#taskIndex += e.task.isHandler ? 0 : 1;
        this.#task = e.task.isHandler ? `handler: ${e.task.name}` : e.task.name;
        this.#taskStarted = this.#o.now();
        this.#done.clear();
        break;
      }
      case 'host_result':
        this.#done.set(e.host, e.status);
        if ((e.status === 'failed' && !e.ignored) || e.status === 'unreachable') this.#out.add(e.host);
        break;
      case 'playbook_start': case 'no_hosts': case 'item_result': case 'included': case 'retry': case 'warning': case 'debug_log': case 'recap': case 'retry_file':
        return;
      default:
        assertNever(e);
    }
    this.#redraw();
  }

  #status(): string {
    if (this.#play === '' && this.#task === '') return `tsplay ${clock(this.#o.now() - this.#started)}`;
    const planned = this.#o.plannedTasks[this.#playIndex];
    const of = planned !== undefined && planned >= this.#taskIndex ? ` of ${planned}` : '';
    const count = (s: string) => [...this.#done.values()].filter((v) => v === s).length;
    const active = this.#hosts.filter((h) => !this.#out.has(h) || this.#done.has(h));
    const waiting = active.filter((h) => !this.#done.has(h));
    const wait = waiting.length === 0 ? '' : ` | running: ${waiting.slice(0, 3).join(', ')}${waiting.length > 3 ? ` +${waiting.length - 3}` : ''} (${((this.#o.now() - this.#taskStarted) / 1000).toFixed(1)}s)`;
    return `[${this.#play}] task ${this.#taskIndex}${of}: ${this.#task} | hosts ${this.#done.size}/${active.length} changed ${count('changed')} failed ${count('failed')} unreachable ${count('unreachable')} | ${clock(this.#o.now() - this.#started)}${wait}`;
  }

  #redraw(): void {
    const cols = Math.max(20, this.#o.columns());
    const line = this.#status();
    const fitted = line.length >= cols ? `${line.slice(0, cols - 2)}…` : line;
    this.#o.out(`${CLEAR_LINE}\x1b[7m${fitted}\x1b[0m`);
    this.#shown = true;
  }

  finish(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#shown) this.#o.out(CLEAR_LINE);
    this.#shown = false;
  }
}
