import type { RunEvent, TaskInfo } from '../types/events.js';
import type { HostTraffic } from '../types/traffic.js';
import type { Reporter } from './reporter.js';

export interface ProfileOptions {
  readonly write: (text: string) => void;
  readonly now: () => number;
  /** Round trips and bytes per host, read once at the end. */
  readonly traffic: () => ReadonlyMap<string, Readonly<HostTraffic>>;
  readonly columns?: number;
  /** How many of the slowest tasks to list (profile_tasks' task_output_limit). */
  readonly limit?: number;
}

interface TaskTime { readonly name: string; readonly role: string | undefined; elapsed: number }

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * `--profile`: after the recap, the slowest tasks and per-role totals laid out like ansible's
 * profile_tasks / profile_roles callbacks (`name ---- 1.23s`), then remote commands, file
 * transfers and bytes per host. A task's time is its wall time across all its hosts.
 */
export class ProfileReporter implements Reporter {
  readonly #o: ProfileOptions;
  readonly #tasks: TaskTime[] = [];
  #current: { task: TaskTime; started: number } | undefined;

  constructor(opts: ProfileOptions) {
    this.#o = opts;
  }

  #close(): void {
    if (this.#current === undefined) return;
    this.#current.task.elapsed = this.#o.now() - this.#current.started;
    this.#current = undefined;
  }

  #open(t: TaskInfo): void {
    this.#close();
    const task: TaskTime = { name: t.role !== undefined ? `${t.role} : ${t.name}` : t.name, role: t.role, elapsed: 0 };
    this.#tasks.push(task);
    this.#current = { task, started: this.#o.now() };
  }

  handle(e: RunEvent): void {
    if (e.kind === 'task_start') this.#open(e.task);
    else if (e.kind === 'play_start' || e.kind === 'recap') this.#close();
  }

  #row(name: string, value: string): string {
    const width = (this.#o.columns ?? 80) - 9;
    const left = `${name} `.padEnd(width, '-');
    return `${left}${` ${value}`.padStart(9, '-')}\n`;
  }

  finish(): void {
    this.#close();
    const w = this.#o.write;
    const rule = `${'='.repeat((this.#o.columns ?? 80) - 1)}\n`;
    const slowest = [...this.#tasks].sort((a, b) => b.elapsed - a.elapsed).slice(0, this.#o.limit ?? 20);
    w(`\nSLOWEST TASKS\n${rule}`);
    for (const t of slowest) w(this.#row(t.name, seconds(t.elapsed)));
    const roles = new Map<string, number>();
    for (const t of this.#tasks) roles.set(t.role ?? '(play tasks)', (roles.get(t.role ?? '(play tasks)') ?? 0) + t.elapsed);
    w(`\nROLES\n${rule}`);
    for (const [role, ms] of [...roles].sort((a, b) => b[1] - a[1])) w(this.#row(role, seconds(ms)));
    const total = this.#tasks.reduce((s, t) => s + t.elapsed, 0);
    w(this.#row('total', seconds(total)));
    w(`\nREMOTE WORK PER HOST\n${rule}`);
    w(`${'host'.padEnd(26)} ${'commands'.padStart(9)} ${'transfers'.padStart(10)} ${'sent'.padStart(11)} ${'received'.padStart(11)}\n`);
    const traffic = this.#o.traffic();
    for (const h of [...traffic.keys()].sort()) {
      const t = traffic.get(h)!;
      w(`${h.padEnd(26)} ${String(t.commands).padStart(9)} ${String(t.transfers).padStart(10)} ${bytes(t.bytesSent).padStart(11)} ${bytes(t.bytesReceived).padStart(11)}\n`);
    }
  }
}
