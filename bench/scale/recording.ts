import { createHash } from 'node:crypto';
import type { Connection, ConnectionFactory, ConnectionParams, ExecRequest, ExecResult } from '../../engine/types/connection.js';

/**
 * What one real lab host answered during a converged (idempotent) run, keyed by what was asked:
 * the replaying transport answers every simulated host with it. The recorded host's name and
 * address are stored as placeholders so that each simulated host answers with its own name.
 */
export interface Recording {
  readonly hostName: string;
  readonly address: string;
  /** key (command + stdin digest, host name replaced) → the answers in the order they were given */
  readonly exec: Record<string, ExecResult[]>;
  readonly files: Record<string, string[]>;
}

export const HOST_MARK = '@@SIMHOST@@';
export const ADDR_MARK = '@@SIMADDR@@';

/** The random words in a command (randomWord: temp file names, command.ts's skip marker): another each run. */
const RANDOM_WORDS = /(\.tsplay-|@@TSPLAY-SKIP-)[0-9a-f]{12}/g;

export function requestKey(req: ExecRequest, hostName: string): string {
  const stdin = req.stdin === undefined ? '' : createHash('sha256').update(req.stdin).digest('hex');
  const parts = [req.command.replace(RANDOM_WORDS, '$1@@RANDOM@@'), stdin, req.become?.user ?? '', JSON.stringify(req.env ?? {}), req.cwd ?? ''];
  return parts.join('\u0000').split(hostName).join(HOST_MARK);
}

function mark(text: string, r: { hostName: string; address: string }): string {
  return text.split(r.address).join(ADDR_MARK).split(r.hostName).join(HOST_MARK);
}

/** Wraps the real factory: every answer of the one recorded host is kept, in order. */
export class Recorder {
  readonly recording: { hostName: string; address: string; exec: Record<string, ExecResult[]>; files: Record<string, string[]> };

  constructor(hostName: string, address: string) {
    this.recording = { hostName, address, exec: {}, files: {} };
  }

  wrap(factory: ConnectionFactory): ConnectionFactory {
    return { connect: async (params: ConnectionParams) => this.#recorded(await factory.connect(params)) };
  }

  #recorded(conn: Connection): Connection {
    const r = this.recording;
    return {
      hostName: conn.hostName,
      exec: async (req) => {
        const res = await conn.exec(req);
        (r.exec[requestKey(req, r.hostName)] ??= []).push({ rc: res.rc, stdout: mark(res.stdout, r), stderr: mark(res.stderr, r) });
        return res;
      },
      putFile: (path, data, mode) => conn.putFile(path, data, mode),
      getFile: async (path) => {
        const data = await conn.getFile(path);
        (r.files[path.split(r.hostName).join(HOST_MARK)] ??= []).push(data.toString('base64'));
        return data;
      },
      close: () => conn.close(),
    };
  }
}
