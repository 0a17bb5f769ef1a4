/**
 * Bounds the ssh handshakes in flight to one server (host:port). sshd's MaxStartups (10:30:100
 * by default) starts dropping unauthenticated connections past 10, so 500 inventory aliases
 * of three machines with -f 100 would see connections closed before the banner and report
 * hosts falsely UNREACHABLE. Once a session is authenticated its slot is free again.
 */
export class HandshakeGate {
  readonly #perServer: number;
  readonly #inFlight = new Map<string, number>();
  readonly #waiting = new Map<string, (() => void)[]>();

  constructor(perServer = 8) {
    this.#perServer = Math.max(1, perServer);
  }

  /** Waits for a slot for `server`; call the returned function exactly once to free it. */
  async enter(server: string): Promise<() => void> {
    const n = this.#inFlight.get(server) ?? 0;
    if (n < this.#perServer) this.#inFlight.set(server, n + 1);
    else await new Promise<void>((resolve) => this.#queue(server).push(resolve));
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.#leave(server);
    };
  }

  #queue(server: string): (() => void)[] {
    let q = this.#waiting.get(server);
    if (q === undefined) this.#waiting.set(server, (q = []));
    return q;
  }

  #leave(server: string): void {
    const next = this.#waiting.get(server)?.shift();
    if (next !== undefined) return next(); // the slot passes on: the count stays the same
    const n = (this.#inFlight.get(server) ?? 1) - 1;
    if (n <= 0) this.#inFlight.delete(server);
    else this.#inFlight.set(server, n);
    if (this.#waiting.get(server)?.length === 0) this.#waiting.delete(server);
  }
}
