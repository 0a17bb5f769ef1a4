import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, writeFile, chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Connection, ExecRequest, ExecResult } from '../types/connection.js';
import { BecomeGate, becomeFailure, wrapBecome } from './become.js';
import { quote, withCwdAndEnv } from './shell.js';
import type { LogSink } from './redact.js';
import { abortReason } from './ssh-exec.js';
import { CancelledError } from '../errors/index.js';

/** ansible_connection=local: commands run on the controller through /bin/sh. */
export class LocalConnection implements Connection {
  /** `log`: given at -vvv, receives ansible's `<host> EXEC /bin/sh -c '...'` line per command. */
  constructor(readonly hostName: string, private readonly log?: LogSink) {}

  exec(req: ExecRequest): Promise<ExecResult> {
    const wrapped = wrapBecome(withCwdAndEnv(req.command, req.cwd, req.env), req.become);
    this.log?.(`<${this.hostName}> EXEC /bin/sh -c ${quote(wrapped.command)}`);
    return new Promise((resolve, reject) => {
      // Its own process group, so a timeout or Ctrl-C stops the command's children too.
      const child = spawn('/bin/sh', ['-c', wrapped.command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let cancelled = false;
      const killGroup = (): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      const onAbort = (): void => {
        cancelled = true;
        killGroup();
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      if (req.signal?.aborted) onAbort();
      let timer: NodeJS.Timeout | undefined;
      if (req.timeoutMs !== undefined) timer = setTimeout(killGroup, req.timeoutMs);
      const gate = new BecomeGate(wrapped, { write: (d) => child.stdin.write(d), end: () => child.stdin.end() }, req.stdin);
      child.stdout.on('data', (d: Buffer) => out.push(gate.onStdout(d)));
      child.stderr.on('data', (d: Buffer) => err.push(gate.onStderr(d)));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        if (cancelled) return reject(new CancelledError(abortReason(req.signal)));
        const stderr = Buffer.concat(err).toString('utf8');
        const rc = code ?? (signal ? 128 + 9 : 1);
        const refused = becomeFailure(req.become, gate, rc, stderr);
        if (refused) reject(refused);
        else resolve({ rc, stdout: Buffer.concat(out).toString('utf8'), stderr });
      });
      child.stdin.on('error', () => undefined);
      gate.start();
    });
  }

  async putFile(remotePath: string, data: Buffer, mode?: number): Promise<void> {
    await mkdir(dirname(remotePath), { recursive: true });
    const tmp = `${remotePath}.tsplay-tmp-${process.pid}`;
    await writeFile(tmp, data, mode === undefined ? undefined : { mode });
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, remotePath);
  }

  getFile(remotePath: string): Promise<Buffer> {
    return readFile(remotePath);
  }

  async close(): Promise<void> {}
}
