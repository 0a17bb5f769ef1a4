import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { netnsPids } from '../../../engine/lab/network.js';
import type { LabHostState, LabState } from '../../../engine/lab/index.js';
import { ssh } from '../lab/lab-helpers.js';

/** What one tsplay run ended with (the code is null when a signal killed it). */
export interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly wallMs: number;
  /** Time from the trigger line to the end of the run (undefined when it never showed). */
  readonly afterTriggerMs?: number;
}

/**
 * Starts tsplay and, when `kill` is given, delivers the fault `afterMs` later: a signal to
 * the controller, or a SIGKILL to every sshd process of the host (the lab host's own
 * processes, found by PID in its network namespace, never by name).
 */
export function runTsplay(argv: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; fault?: Fault; timeoutMs?: number }): Promise<Ran> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, argv, { cwd: opts.cwd, env: opts.env });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    let triggeredAt: number | undefined;
    // a fault already on its way is finished before the run counts as over: an sshd kill that
    // lands after the run must not overlap the checks that follow it
    let delivering: Promise<void> = Promise.resolve();
    const f = opts.fault;
    const arm = (): void => {
      if (f === undefined || timer !== undefined) return;
      triggeredAt = Date.now();
      timer = setTimeout(() => {
        delivering = deliver(f, child.pid);
      }, f.afterMs);
    };
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (f?.trigger !== undefined && f.trigger.test(out.slice(-d.length - 200))) arm();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    if (f !== undefined && f.trigger === undefined) arm();
    const guard = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      const now = Date.now();
      const ran = { code, out, wallMs: now - started, afterTriggerMs: triggeredAt === undefined ? undefined : now - triggeredAt };
      void delivering.then(() => resolve(ran));
    });
  });
}

export type FaultKind = 'SIGINT' | 'SIGTERM' | 'SIGKILL' | 'sshd';

export interface Fault {
  readonly kind: FaultKind;
  /** Delay after the trigger line (or after the start when there is none). */
  readonly afterMs: number;
  readonly host: LabHostState;
  /** Output that starts the clock: e.g. -vvv's EXEC line of the write, so faults land mid-transfer. */
  readonly trigger?: RegExp;
}

async function deliver(f: Fault, pid: number | undefined): Promise<void> {
  if (f.kind === 'sshd') return killSshd(f.host);
  if (pid !== undefined) {
    try {
      process.kill(pid, f.kind);
    } catch {
      // already finished
    }
  }
}

/** SIGKILL to the host's sshd processes (listener and sessions); systemd restarts the listener. */
export async function killSshd(host: LabHostState): Promise<void> {
  for (const pid of await netnsPids(host.netns)) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() !== 'sshd') continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** Waits until the host's sshd answers with its banner again (after killSshd). */
export async function waitSshd(ip: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: ip, port: 22 });
      const done = (v: boolean) => (s.destroy(), resolve(v));
      s.setTimeout(1000, () => done(false));
      s.once('data', (d: Buffer) => done(d.toString().startsWith('SSH-')));
      s.once('error', () => done(false));
      // a listener killed right after accepting closes without a banner (and the idle timer dies
      // with the socket): without this the wait never ends
      s.once('close', () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd on ${ip} did not come back`);
}

/** sha1 of each path (or 'absent') and the tsplay temp files left in `dir`, in one ssh call. */
export async function hostFiles(state: LabState, ip: string, dir: string, names: readonly string[]): Promise<{ sums: Record<string, string>; temps: string[] }> {
  const sums = names.map((n) => `if [ -e ${dir}/${n} ]; then echo "S ${n} $(sha1sum < ${dir}/${n} | cut -c1-40)"; else echo "S ${n} absent"; fi`);
  const command = [...sums, `find ${dir} -name '*.tsplay-*' -printf 'T %p\\n'`].join('; ');
  let r = await ssh(state, ip, command);
  // right after an sshd kill, systemd may still be swapping listeners: OpenSSH's 255 is worth a retry
  for (let i = 0; r.code === 255 && i < 10; i++) {
    await new Promise((res) => setTimeout(res, 300));
    r = await ssh(state, ip, command);
  }
  if (r.code !== 0) throw new Error(`ssh to ${ip} failed: ${r.stderr}`);
  const out: Record<string, string> = {};
  const temps: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^S (\S+) (\S+)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
    if (line.startsWith('T ')) temps.push(line.slice(2));
  }
  return { sums: out, temps };
}

/** Polls until no temp file is left (the host cleans up when it sees the session end). */
export async function tempsGone(state: LabState, ip: string, dir: string, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { temps } = await hostFiles(state, ip, dir, []);
    if (temps.length === 0 || Date.now() > deadline) return temps;
    await new Promise((r) => setTimeout(r, 200));
  }
}
