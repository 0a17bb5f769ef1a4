import type { Connection, ConnectionFactory, ConnectionParams, ExecRequest, ExecResult } from '../types/connection.js';
import type { HostTraffic } from '../types/traffic.js';

/**
 * Counts round trips and bytes per inventory host (for --profile): a decorator around the real
 * connections, so the transports stay unaware of it and runs without --profile pay nothing.
 */
export class TrafficMeter {
  readonly #hosts = new Map<string, HostTraffic>();

  #of(host: string): HostTraffic {
    let t = this.#hosts.get(host);
    if (t === undefined) {
      t = { commands: 0, transfers: 0, bytesSent: 0, bytesReceived: 0 };
      this.#hosts.set(host, t);
    }
    return t;
  }

  countExec(host: string, req: ExecRequest, res: ExecResult): void {
    const t = this.#of(host);
    t.commands += 1;
    t.bytesSent += Buffer.byteLength(req.command) + (req.stdin === undefined ? 0 : Buffer.byteLength(req.stdin));
    t.bytesReceived += Buffer.byteLength(res.stdout) + Buffer.byteLength(res.stderr);
  }

  countTransfer(host: string, sent: number, received: number): void {
    const t = this.#of(host);
    t.transfers += 1;
    t.bytesSent += sent;
    t.bytesReceived += received;
  }

  snapshot(): ReadonlyMap<string, Readonly<HostTraffic>> {
    return new Map([...this.#hosts].map(([h, t]) => [h, { ...t }]));
  }

  /** Wraps a factory so every connection it opens reports to this meter. */
  wrap(factory: ConnectionFactory): ConnectionFactory {
    return { connect: async (params: ConnectionParams) => this.#metered(await factory.connect(params), params.inventoryHostname) };
  }

  #metered(conn: Connection, host: string): Connection {
    return {
      hostName: conn.hostName,
      exec: async (req) => {
        const res = await conn.exec(req);
        this.countExec(host, req, res);
        return res;
      },
      putFile: async (path, data, mode) => {
        await conn.putFile(path, data, mode);
        this.countTransfer(host, data.length, 0);
      },
      getFile: async (path) => {
        const data = await conn.getFile(path);
        this.countTransfer(host, 0, data.length);
        return data;
      },
      close: () => conn.close(),
    };
  }
}
