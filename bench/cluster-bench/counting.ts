import type { Connection, ConnectionFactory } from '../../engine/types/connection.js';

/** Counts what reaches the hosts: every remote command (exec) and file transfer. */
export interface Counts {
  execs: number;
  transfers: number;
}

export function countingFactory(inner: ConnectionFactory, counts: Counts): ConnectionFactory {
  return {
    async connect(params) {
      const c = await inner.connect(params);
      const wrapped: Connection = {
        hostName: c.hostName,
        exec: (req) => { counts.execs++; return c.exec(req); },
        putFile: (p, d, m) => { counts.transfers++; return c.putFile(p, d, m); },
        getFile: (p) => { counts.transfers++; return c.getFile(p); },
        close: () => c.close(),
      };
      return wrapped;
    },
  };
}
