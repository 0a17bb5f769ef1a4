import type { LabOptions } from './options.js';
import { resolveLabOptions } from './options.js';
import { netnsPids } from './network.js';
import { isLabLauncher } from './ownership.js';
import { isAlive, processArgv } from './processes.js';
import { readLabState } from './state.js';
import type { LabState } from './state.js';
import { sshAnswers } from './wait-ssh.js';

export interface LabHostStatus {
  readonly name: string;
  readonly ip: string;
  readonly pid: number;
  /** The recorded launcher is alive and still is this lab's. */
  readonly running: boolean;
  /** sshd greets on ip:22 (probed whatever the launcher's state). */
  readonly ssh: boolean;
  /** Processes still live in the host's network namespace: its container runs on without its launcher. */
  readonly leftoverProcesses: number;
}

export interface LabStatus {
  readonly name: string;
  readonly stateDir: string;
  /** null when the lab is not up (no state recorded). */
  readonly state: LabState | null;
  readonly hosts: readonly LabHostStatus[];
}

/** What is recorded and whether each host really runs and answers; changes nothing. */
export async function labStatus(opts: LabOptions = {}): Promise<LabStatus> {
  const o = resolveLabOptions(opts);
  const state = await readLabState(o.stateDir);
  const id = { name: o.name, stateDir: o.stateDir };
  const hosts = await Promise.all((state?.hosts ?? []).map(async (h) => {
    const running = (await isAlive(h.pid)) && isLabLauncher(await processArgv(h.pid), id);
    const inside = await netnsPids(h.netns);
    return { name: h.name, ip: h.ip, pid: h.pid, running, ssh: await sshAnswers(h.ip), leftoverProcesses: running ? 0 : inside.length };
  }));
  return { name: o.name, stateDir: o.stateDir, state, hosts };
}
