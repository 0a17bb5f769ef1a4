import { constants as osConstants } from 'node:os';
import type { ClientChannel } from 'ssh2';
import { CancelledError } from '../errors/index.js';
import type { ExecRequest, ExecResult } from '../types/connection.js';
import { BecomeGate, type WrappedCommand } from './become.js';
import { PidReader } from './remote-pid.js';

export interface OpenChannel {
  readonly ch: ClientChannel;
  exit: { code: number | null; signal?: string } | undefined;
}

/** What collecting one channel needs from its connection. */
export interface ChannelHooks {
  /** Kills the remote process group of the command's shell (best effort, bounded). */
  killGroup(pid: number): Promise<void>;
  /** The error for a channel that closed without an exit status (connection gone). */
  lost(): Error;
}

export type Collected = ExecResult & { readonly gate: BecomeGate };

/** ssh2 reports a signal death as 'SIGKILL'; shells report it as 128 + 9. */
function signalRc(signal: string | undefined): number {
  if (!signal) return 1;
  const num = (osConstants.signals as Record<string, number>)[signal.startsWith('SIG') ? signal : `SIG${signal}`];
  return 128 + (num ?? 0);
}

/** Resolves once the remote PID is known, or undefined after `ms` (the command never started). */
export function pidWithin(reader: PidReader, known: Promise<number>, ms: number): Promise<number | undefined> {
  if (reader.pid !== undefined) return Promise.resolve(reader.pid);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
  return Promise.race([known, late]).finally(() => clearTimeout(timer));
}

/**
 * Collects one exec channel: stdout/stderr (minus the PID announcement and sudo's prompt),
 * the exit status, and stops it early when the request's deadline passes or its signal
 * aborts. Stopping kills the remote process group first, then closes the channel, so nothing
 * keeps running on the host (closing alone leaves a `sleep` under the shell alive).
 */
export function collectChannel(open: OpenChannel, wrapped: WrappedCommand, req: ExecRequest, hooks: ChannelHooks): Promise<Collected> {
  const ch = open.ch;
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    let pidKnown: (pid: number) => void = () => undefined;
    const known = new Promise<number>((r) => (pidKnown = r));
    const reader = new PidReader((pid) => pidKnown(pid));
    const gate = new BecomeGate(wrapped, { write: (d) => ch.write(d), end: () => ch.end() }, req.stdin);
    const text = (bufs: Buffer[]): string => Buffer.concat(bufs).toString('utf8');
    const stop = async (answer: () => void): Promise<void> => {
      if (settled) return;
      settled = true;
      cleanup();
      const pid = await pidWithin(reader, known, 2000);
      if (pid !== undefined) await hooks.killGroup(pid).catch(() => undefined);
      ch.close();
      answer();
    };
    const onTimeout = (): void =>
      void stop(() => resolve({ rc: 137, stdout: text(out), stderr: `${text(err)}command timed out after ${req.timeoutMs} ms\n`, gate }));
    const onAbort = (): void => void stop(() => reject(new CancelledError(abortReason(req.signal))));
    const timer = req.timeoutMs === undefined ? undefined : setTimeout(onTimeout, req.timeoutMs);
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    ch.on('data', (d: Buffer) => out.push(gate.onStdout(d)));
    ch.stderr.on('data', (d: Buffer) => err.push(gate.onStderr(reader.onStderr(d))));
    ch.on('close', () => {
      if (settled) return;
      settled = true;
      cleanup();
      err.push(gate.onStderr(reader.flush()));
      const exit = open.exit;
      // No exit status: the channel died with the connection (sshd killed, network gone).
      if (exit === undefined) return reject(hooks.lost());
      resolve({ rc: exit.code ?? signalRc(exit.signal), stdout: text(out), stderr: text(err), gate });
    });
    if (req.signal?.aborted) return onAbort();
    gate.start();
  });
}

export function abortReason(signal: AbortSignal | undefined): string {
  const r: unknown = signal?.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'the command was cancelled';
}
