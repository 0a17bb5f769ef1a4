/**
 * Bounds the session channels open at once on one ssh connection. sshd refuses channels past
 * its MaxSessions (10 by default, the SFTP session included), so callers queue here instead
 * of failing. When a server is stricter than the limit, `shrink` lowers it to what worked.
 */
export class ChannelLimiter {
  #limit: number;
  #inUse = 0;
  readonly #waiters: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  get limit(): number {
    return this.#limit;
  }

  get inUse(): number {
    return this.#inUse;
  }

  acquire(): Promise<void> {
    if (this.#inUse < this.#limit) {
      this.#inUse++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    this.#inUse--;
    this.#wake();
  }

  /**
   * The server refused a channel while `inUse` were held (the refused one included): the
   * others are its real limit. `floor` keeps room for a permit held for good (SFTP), so
   * shrinking can never leave commands waiting forever behind it.
   */
  shrink(floor = 1): void {
    this.#limit = Math.max(floor, this.#inUse - 1);
  }

  /** Raises the limit back to at least n (a long-held permit must not starve the rest). */
  ensureAtLeast(n: number): void {
    this.#limit = Math.max(this.#limit, n);
    this.#wake();
  }

  #wake(): void {
    while (this.#inUse < this.#limit && this.#waiters.length > 0) {
      this.#inUse++;
      (this.#waiters.shift() as () => void)();
    }
  }
}

/** True for ssh2's error when the server refuses to open one more session channel. */
export function isChannelRefused(e: unknown): boolean {
  return e instanceof Error && /Channel open failure|open failed|administratively prohibited/i.test(e.message);
}
