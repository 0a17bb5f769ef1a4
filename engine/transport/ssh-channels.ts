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

  /** The server refused a channel while `inUse` were open: that many is its real limit. */
  shrink(): void {
    this.#limit = Math.max(1, this.#inUse - 1);
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
