import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { leftoverHostCgroups } from '../../../engine/lab/cgroups.js';
import { listLinks, listNetns, netnsPids } from '../../../engine/lab/network.js';
import { isLabLauncher, labLinkRe, labMounts, labNetnsRe } from '../../../engine/lab/ownership.js';
import { findProcesses, isAlive } from '../../../engine/lab/processes.js';
import type { LabState } from '../../../engine/lab/state.js';

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** argv without a shell; resolves with the exit code instead of throwing. */
export function runArgv(argv: readonly string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 255) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

/** Real OpenSSH, host keys checked strictly against the lab's own known_hosts. */
export function ssh(state: LabState, ip: string, command: string, knownHosts = state.knownHosts): Promise<Ran> {
  return runArgv(['ssh', '-i', state.privateKey, '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', `root@${ip}`, command]);
}

/** Every PID living in the lab's namespaces right now (to check later that they are gone). */
export async function pidsInLab(state: LabState): Promise<number[]> {
  return (await Promise.all(state.hosts.map((h) => netnsPids(h.netns)))).flat();
}

/** Nothing of the lab is left: namespaces, links, mounts, processes, cgroups, state directory. */
export async function expectNothingLeft(state: LabState, pidsBefore: readonly number[]): Promise<void> {
  expect((await listNetns()).filter((n) => labNetnsRe(state.name).test(n))).toEqual([]);
  expect((await listLinks()).filter((l) => labLinkRe(state.name).test(l))).toEqual([]);
  expect(labMounts(await readFile('/proc/mounts', 'utf8'), state.stateDir)).toEqual([]);
  const id = { name: state.name, stateDir: state.stateDir };
  expect(await findProcesses((argv) => isLabLauncher(argv, id))).toEqual([]);
  const alive = await Promise.all([...pidsBefore, ...state.hosts.map((h) => h.pid)].map(async (p) => ((await isAlive(p)) ? p : null)));
  expect(alive.filter((p) => p !== null)).toEqual([]);
  expect(await leftoverHostCgroups(labNetnsRe(state.name))).toEqual([]);
  expect(await readFile(`${state.stateDir}/state.json`, 'utf8').catch(() => 'gone')).toBe('gone');
}
