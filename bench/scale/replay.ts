import type { Connection, ConnectionFactory, ConnectionParams, ExecResult } from '../../engine/types/connection.js';
import { ADDR_MARK, HOST_MARK, requestKey, type Recording } from './recording.js';

/**
 * A benchmark tool, not a transport for real use: an in-process "host" that answers every
 * command with what a real lab host answered to the same command in a recorded converged run
 * (its own name and a made-up address put in). It costs the controller nothing but the engine's
 * own work, so controller CPU per task-host and memory can be measured for thousands of hosts.
 */
export class ReplayFactory implements ConnectionFactory {
  readonly #rec: Recording;
  #misses = 0;

  constructor(rec: Recording) {
    this.#rec = rec;
  }

  /** Commands the recording had no answer for (the run then sees a failure): must stay 0. */
  get misses(): number {
    return this.#misses;
  }

  async connect(params: ConnectionParams): Promise<Connection> {
    const host = params.inventoryHostname;
    const index = Number(host.replace(/\D/g, '')) || 0;
    const address = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
    const seen = new Map<string, number>();
    const fill = (text: string) => text.split(HOST_MARK).join(host).split(ADDR_MARK).join(address);
    const next = <T>(answers: readonly T[] | undefined, key: string): T | undefined => {
      if (answers === undefined || answers.length === 0) return undefined;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      return answers[Math.min(n, answers.length - 1)];
    };
    return {
      hostName: host,
      exec: async (req): Promise<ExecResult> => {
        const key = requestKey(req, host);
        const a = next(this.#rec.exec[key], key);
        if (a === undefined) {
          this.#misses += 1;
          return { rc: 127, stdout: '', stderr: 'replay: no recorded answer for this command' };
        }
        return { rc: a.rc, stdout: fill(a.stdout), stderr: fill(a.stderr) };
      },
      putFile: async () => undefined,
      getFile: async (path) => {
        const key = path.split(host).join(HOST_MARK);
        const data = next(this.#rec.files[key], `file:${key}`);
        if (data === undefined) throw new Error(`replay: no recorded file ${path}`);
        return Buffer.from(data, 'base64');
      },
      close: async () => undefined,
    };
  }
}
