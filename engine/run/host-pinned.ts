import pLimit, { type LimitFunction } from 'p-limit';
import type { Step, StepOutcome } from './steps.js';
import type { GroupExecutor, Strategy, StrategyOptions } from './strategy.js';

/**
 * ansible's host_pinned strategy: free, but a host keeps its worker from its first step until it
 * leaves the play. With fewer forks than hosts the next host (in play order) starts only when
 * one finishes (ansible's free loop restarts at the same host while every worker is busy).
 */
export class HostPinned implements Strategy {
  readonly #execute: GroupExecutor;
  readonly #slots: LimitFunction;
  /** Per host: its worker, taken at its first step; released by leave(). */
  readonly #pinned = new Map<string, { readonly taken: Promise<void>; release(): void }>();

  /** Hosts queue for a worker in play order, before any of them asks for a step. */
  constructor(hostOrder: readonly string[], execute: GroupExecutor, opts: StrategyOptions) {
    this.#execute = execute;
    this.#slots = pLimit(Math.max(1, opts.forks));
    for (const h of hostOrder) this.#pin(h);
  }

  #pin(host: string): void {
    let release!: () => void;
    let taken!: () => void;
    const done = new Promise<void>((r) => { release = r; });
    const takenP = new Promise<void>((r) => { taken = r; });
    void this.#slots(() => {
      taken();
      return done;
    });
    this.#pinned.set(host, { taken: takenP, release });
  }

  leave(host: string): void {
    this.#pinned.get(host)?.release();
  }

  async request(host: string, position: readonly number[], key: string, step: Step): Promise<StepOutcome> {
    await this.#pinned.get(host)?.taken;
    // like free.ts: let other hosts' finished commands in between two controller-only steps
    await new Promise((r) => setImmediate(r));
    return new Promise<StepOutcome>((resolve, reject) => {
      this.#execute([{ host, position, key, step, resolve, reject }]).catch(reject);
    });
  }
}
