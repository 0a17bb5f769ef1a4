import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** argv of a live process, [] when it is gone (or a zombie, whose cmdline is empty). */
export async function processArgv(pid: number): Promise<string[]> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return raw.split('\0').filter((a) => a !== '');
}

/** Alive means present and not a zombie (a zombie is dead, only waiting for its parent). */
export async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (stat === '') return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** Every PID whose argv satisfies `matches`: finds lab processes whose PID was never recorded. */
export async function findProcesses(matches: (argv: readonly string[]) => boolean): Promise<number[]> {
  const entries = await readdir('/proc');
  const found: number[] = [];
  for (const e of entries) {
    const pid = Number(e);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (matches(await processArgv(pid))) found.push(pid);
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone: that is what we want
  }
}

/** Polls until all PIDs are gone, backing off from 10 ms to 200 ms; false on timeout. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let pause = 10;
  for (;;) {
    const alive = await Promise.all(pids.map(isAlive));
    if (!alive.includes(true)) return true;
    if (Date.now() >= deadline) return false;
    await delay(pause);
    pause = Math.min(pause * 2, 200);
  }
}

/** TERM, wait up to graceMs, then KILL and wait again. */
export async function terminate(pids: readonly number[], graceMs: number): Promise<void> {
  if (pids.length === 0) return;
  pids.forEach((p) => signal(p, 'SIGTERM'));
  if (await waitGone(pids, graceMs)) return;
  pids.forEach((p) => signal(p, 'SIGKILL'));
  await waitGone(pids, 5_000);
}

export function kill(pids: readonly number[]): void {
  pids.forEach((p) => signal(p, 'SIGKILL'));
}
