import type { Step, StepOutcome } from './steps.js';
import type { GroupExecutor, Strategy, StepRequest } from './strategy.js';

function comparePositions(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * ansible's linear strategy as a barrier: every host walker asks for its next step and waits;
 * when all live walkers wait, the step that comes first in the play (by tree position) runs for
 * every host waiting on it, and the others keep waiting (ansible's "noop" for hosts in another
 * part of a block). This is the only shared cursor.
 */
export class Linear implements Strategy {
  readonly #waiting = new Map<string, StepRequest>();
  #active = 0;
  #running = false;
  readonly #execute: GroupExecutor;
  readonly #hostOrder: readonly string[];

  /** Every host walker counts as active from the start, so the first step waits for all of them. */
  constructor(hostOrder: readonly string[], execute: GroupExecutor) {
    this.#hostOrder = hostOrder;
    this.#execute = execute;
    this.#active = hostOrder.length;
  }

  leave(_host: string): void {
    this.#active--;
    this.#dispatch();
  }

  request(host: string, position: readonly number[], key: string, step: Step): Promise<StepOutcome> {
    return new Promise<StepOutcome>((resolve, reject) => {
      this.#waiting.set(host, { host, position, key, step, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    if (this.#running || this.#active === 0 || this.#waiting.size < this.#active) return;
    const all = [...this.#waiting.values()];
    const first = all.reduce((a, b) => (comparePositions(b.position, a.position) < 0 ? b : a));
    const order = (h: string) => this.#hostOrder.indexOf(h);
    const group = all.filter((r) => r.key === first.key).sort((a, b) => order(a.host) - order(b.host));
    for (const r of group) this.#waiting.delete(r.host);
    this.#running = true;
    this.#execute(group).then(
      () => {
        this.#running = false;
        this.#dispatch();
      },
      (err: unknown) => {
        this.#running = false;
        for (const r of group) r.reject(err);
        this.#dispatch();
      },
    );
  }
}
