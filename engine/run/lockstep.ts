/**
 * The linear strategy's barrier: every host walker asks for its next step and waits; when all
 * live walkers wait, the step that comes first in the play (by tree position) runs for every
 * host waiting on it, and the others keep waiting (ansible's "noop" for hosts in another
 * part of a block). Walkers are plain recursive async functions; this is the only shared cursor.
 */
export interface StepRequest<S, R> {
  readonly host: string;
  /** Position in the play tree; compared lexicographically to pick what runs next. */
  readonly position: readonly number[];
  /** Hosts with the same key run together as one task. */
  readonly key: string;
  readonly step: S;
  resolve(result: R): void;
  reject(error: unknown): void;
}

function comparePositions(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export class Lockstep<S, R> {
  readonly #waiting = new Map<string, StepRequest<S, R>>();
  #active = 0;
  #running = false;
  readonly #runGroup: (group: StepRequest<S, R>[]) => Promise<void>;
  readonly #hostOrder: readonly string[];

  /** Every host walker counts as active from the start, so the first step waits for all of them. */
  constructor(hostOrder: readonly string[], runGroup: (group: StepRequest<S, R>[]) => Promise<void>) {
    this.#hostOrder = hostOrder;
    this.#runGroup = runGroup;
    this.#active = hostOrder.length;
  }

  leave(): void {
    this.#active--;
    this.#dispatch();
  }

  request(host: string, position: readonly number[], key: string, step: S): Promise<R> {
    return new Promise<R>((resolve, reject) => {
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
    this.#runGroup(group).then(
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
