import { execFile } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labDown, labUp, renderLabInventory, type LabState } from '../../engine/lab/index.js';
import type { LabOptions } from '../../engine/lab/index.js';

function exec(argv: readonly string[], timeoutMs = 30_000): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 255) : 0, stderr: String(stderr) });
    });
  });
}

export function benchLabOptions(name: string, subnet: string, hosts: number, kind: 'systemd' | 'netns', stateRoot: string, log: (l: string) => void): LabOptions {
  return { name, subnet, hosts, kind, stateDir: join(stateRoot, '.tsplay', 'lab', name), log };
}

/**
 * The lab, with every host done booting: sshd answers before systemd has started the rest of
 * its units, and 20 hosts still booting would load the machine under the first measurements
 * (both engines', but a short run's ratio most).
 */
export async function benchLabUp(o: LabOptions): Promise<LabState> {
  const state = await labUp(o);
  if (state.kind === 'systemd') {
    const t0 = Date.now();
    // the verdict (running, degraded) does not matter here: only that booting is over
    await onHosts(state, state.hosts.length, 'systemctl is-system-running --wait >/dev/null; true', 180_000);
    o.log?.(`lab ${state.name}: every host done booting after ${((Date.now() - t0) / 1000).toFixed(1)} s more`);
  }
  return state;
}

export async function benchLabDown(o: LabOptions): Promise<void> {
  await labDown(o);
}

/** The lab's own inventory cut to its first n hosts (same host-key checking settings). */
export async function writeSubInventory(state: LabState, n: number, dir: string): Promise<string> {
  const path = join(dir, `inventory-${n}.ini`);
  await writeFile(path, renderLabInventory({ labName: state.name, kind: state.kind, hosts: state.hosts.slice(0, n), privateKey: state.privateKey, knownHosts: state.knownHosts }));
  return path;
}

/** Runs a command as root on the first n hosts (host keys checked), all at once; throws on the first failure. */
async function onHosts(state: LabState, n: number, command: string, timeoutMs = 30_000): Promise<void> {
  const results = await Promise.all(state.hosts.slice(0, n).map((h) => exec([
    'ssh', '-i', state.privateKey, '-o', `UserKnownHostsFile=${state.knownHosts}`, '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', `root@${h.ip}`, command,
  ], timeoutMs)));
  const bad = results.findIndex((r) => r.code !== 0);
  if (bad >= 0) throw new Error(`${command} failed on ${state.hosts[bad]!.name}: ${results[bad]!.stderr.trim()}`);
}

/** Removes an engine's work directory on the hosts (clean state before its first run). */
export async function removeOnHosts(state: LabState, n: number, path: string): Promise<void> {
  await onHosts(state, n, `rm -rf '${path}'`);
}

/** Ends the ssh ControlPersist masters ansible left in dir (they would outlive the bench otherwise). */
export async function closeControlMasters(dir: string): Promise<void> {
  const sockets = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(sockets.map((s) => exec(['ssh', '-o', `ControlPath=${join(dir, s)}`, '-O', 'exit', 'bench'], 10_000)));
}
