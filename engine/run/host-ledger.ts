import type { HostCounters } from '../types/events.js';
import type { TaskStatus } from '../types/outcome.js';

type Counters = { -readonly [K in keyof HostCounters]: number };

function emptyCounters(): Counters {
  return { ok: 0, changed: 0, unreachable: 0, failures: 0, skipped: 0, rescued: 0, ignored: 0 };
}

/**
 * The one owner of each host's standing in a run (design.md §4b): the recap counters, failed
 * and unreachable hosts (they sit out later plays), hosts ended by meta, the play's and the
 * playbook's end. Every other file of run/ changes a host's state only through these verbs
 * and asks these queries; nobody keeps flags of their own.
 */
export class HostLedger {
  readonly #counters = new Map<string, Counters>();
  readonly #failed = new Set<string>();
  readonly #unreachable = new Set<string>();
  /** like ansible's PlaybookExecutor._unreachable_hosts: kept after each batch, put back at each play. */
  readonly #unreachableSaved = new Set<string>();
  /** Per play: hosts that ran meta end_host; like ansible's play._removed_hosts. */
  readonly #ended = new Set<string>();
  readonly #clears = new Map<string, number>();
  #playEnded = false;
  #aborted = false;
  /** Bumped whenever a host joins or leaves the game: play-level views (ansible_play_hosts) are cached on it. */
  #standing = 0;

  /** Changes whenever the set of hosts in the game may have changed (failed, unreachable, ended, cleared). */
  get standing(): number {
    return this.#standing;
  }

  #c(host: string): Counters {
    let c = this.#counters.get(host);
    if (c === undefined) {
      c = emptyCounters();
      this.#counters.set(host, c);
    }
    return c;
  }

  /** A new play (or serial batch of it) starts: end_host and end_play apply to one play only. */
  beginPlay(): void {
    this.#standing++;
    this.#ended.clear();
    this.#playEnded = false;
    for (const h of this.#unreachableSaved) this.#unreachable.add(h);
  }

  /** A serial batch is over: its unreachable hosts stay unreachable in later plays, cleared or not. */
  endBatch(): void {
    for (const h of this.#unreachable) this.#unreachableSaved.add(h);
  }

  /** Counts one task result in the recap, like ansible's stats for each status. */
  count(host: string, status: TaskStatus, opts: { readonly ignored: boolean; readonly changed: boolean }): void {
    const c = this.#c(host);
    switch (status) {
      case 'ok': c.ok++; break;
      case 'changed': c.ok++; c.changed++; break;
      case 'skipped': c.skipped++; break;
      // like ansible: an ignored unreachable result counts as ok + ignored and the host stays in the play
      case 'unreachable': if (opts.ignored) { c.ok++; c.ignored++; } else c.unreachable++; break;
      case 'failed':
        // like ansible: an ignored failure counts as ok + ignored (and changed if it changed);
        // a real failure is counted when the host is marked failed (markFailed)
        if (opts.ignored) {
          c.ok++;
          c.ignored++;
          if (opts.changed) c.changed++;
        }
        break;
    }
  }

  /** include_tasks counts ok once per included file; a skipped include counts skipped. */
  countOk(host: string, n: number): void {
    this.#c(host).ok += n;
  }

  countSkipped(host: string): void {
    this.#c(host).skipped++;
  }

  /** A failure no rescue handled: the host is failed (recap failures+1) and leaves the playbook. */
  markFailed(host: string): void {
    this.#standing++;
    this.#failed.add(host);
    this.#c(host).failures++;
  }

  /** A failure counted in the recap while the host goes on (an include failure a rescue handled). */
  countFailure(host: string): void {
    this.#c(host).failures++;
  }

  /** like ansible's any_errors_fatal: the other hosts stop as failed without a failure counted. */
  failWithoutCount(host: string): void {
    this.#standing++;
    this.#failed.add(host);
  }

  /** The host dropped; its recap `unreachable` was counted with the result. */
  markUnreachable(host: string): void {
    this.#standing++;
    this.#unreachable.add(host);
  }

  /** A rescue section took over a failure. */
  rescue(host: string): void {
    this.#c(host).rescued++;
  }

  /**
   * like ansible's meta clear_host_errors: the play's failed hosts are back in (also those failed
   * in earlier plays); an unreachable host only when it dropped in the running batch (ansible's
   * playbook executor puts earlier batches' unreachable hosts back at each play).
   */
  clearErrors(hosts: readonly string[]): void {
    this.#standing++;
    for (const h of hosts) {
      this.#failed.delete(h);
      this.#unreachable.delete(h);
      this.#clears.set(h, this.clears(h) + 1);
    }
  }

  /** How many times clear_host_errors ran for `host`: a walker compares it around an `always`. */
  clears(host: string): number {
    return this.#clears.get(host) ?? 0;
  }

  /** meta end_host: the host leaves this play (not the playbook). */
  end(host: string): void {
    this.#standing++;
    this.#ended.add(host);
  }

  /** meta end_play: no more tasks in this play for any host. */
  endPlay(): void {
    this.#playEnded = true;
  }

  /** any_errors_fatal / max_fail_percentage / a batch that failed whole: the playbook stops after this play. */
  abortPlaybook(): void {
    this.#playEnded = true;
    this.#aborted = true;
  }

  get playEnded(): boolean {
    return this.#playEnded;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  isFailed(host: string): boolean {
    return this.#failed.has(host);
  }

  isUnreachable(host: string): boolean {
    return this.#unreachable.has(host);
  }

  /** Neither failed nor unreachable: the host may run later plays. */
  inGame(host: string): boolean {
    return !this.#failed.has(host) && !this.#unreachable.has(host);
  }

  /** The hosts among `among` that still run tasks in this play. */
  active(among: readonly string[]): string[] {
    return among.filter((h) => this.inGame(h) && !this.#ended.has(h));
  }

  /** The failed and unreachable hosts, sorted (ansible's retry file). */
  retryHosts(): string[] {
    return [...new Set([...this.#failed, ...this.#unreachable])].sort();
  }

  /** ansible-playbook's exit code: 4 when a host was unreachable, else 2 when one failed. */
  exitCode(): number {
    // like ansible's StrategyBase.run: unreachable hosts are checked before failed ones, so a
    // run with both exits 4 (seen with ansible-core 2.14)
    if (this.#unreachable.size > 0) return 4;
    if (this.#failed.size > 0) return 2;
    return 0;
  }

  /** The PLAY RECAP counters, a snapshot. */
  recap(): Map<string, HostCounters> {
    return new Map([...this.#counters].map(([h, c]) => [h, { ...c }]));
  }
}
