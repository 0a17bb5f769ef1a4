import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TsplayError } from '../errors/index.js';
import { createHostCgroups, inCgroupsArgv } from './cgroups.js';
import { run } from './exec.js';
import { newMachineId, renderEtcHosts, writeAuthorizedKey } from './host-files.js';
import { generateHostKeys, HOST_KEY_TYPES } from './keys.js';
import type { LabHostPlan, ResolvedLabOptions } from './options.js';

/**
 * Units masked in every systemd host: the lab configures the network from outside (and has
 * no DNS), and the apt timers would only knock at a mirror they cannot reach.
 */
const MASKED_UNITS = [
  'systemd-networkd.service', 'systemd-networkd.socket', 'systemd-networkd-wait-online.service',
  'systemd-resolved.service', 'apt-daily.timer', 'apt-daily-upgrade.timer', 'getty@tty1.service',
];

/**
 * Lab-only (containers: true): containerd needs the cgroup v1 controllers writable, which
 * nspawn mounts read-only. Kept here, never in product roles.
 */
const CONTAINERD_DROPIN = `[Service]
ExecStartPre=/bin/sh -c "for c in cpu cpuacct cpuset memory devices freezer blkio pids; do mount -o remount,bind,rw /sys/fs/cgroup/$c; done"
`;

export interface PreparedHost {
  readonly rootDir: string;
  /** `type base64` of the host's public keys. */
  readonly hostKeys: string[];
}

/** Overlay of the cached root (upper ~8 MB per host) with the host's own identity written in. */
export async function prepareSystemdHost(
  o: ResolvedLabOptions, h: LabHostPlan, all: readonly LabHostPlan[], publicKey: string,
): Promise<PreparedHost> {
  const rootDir = join(h.dir, 'root');
  await Promise.all(['upper', 'work', 'root'].map((d) => mkdir(join(h.dir, d), { recursive: true })));
  await run(['mount', '-t', 'overlay', 'overlay', '-o',
    `lowerdir=${o.cacheDir},upperdir=${join(h.dir, 'upper')},workdir=${join(h.dir, 'work')}`, rootDir],
  { what: `cannot mount the overlay root of lab host ${h.name}` });
  const etc = join(rootDir, 'etc');
  await writeFile(join(etc, 'hostname'), `${h.name}\n`);
  await writeFile(join(etc, 'hosts'), renderEtcHosts(h.name, all));
  await writeFile(join(etc, 'machine-id'), newMachineId());
  await writeAuthorizedKey(join(rootDir, 'root'), publicKey);
  await maskUnits(join(etc, 'systemd', 'system'));
  if (o.containers) {
    const dropDir = join(etc, 'systemd', 'system', 'containerd.service.d');
    await mkdir(dropDir, { recursive: true });
    await writeFile(join(dropDir, '10-tsplay-lab-cgroups.conf'), CONTAINERD_DROPIN);
    await mkdir(join(h.dir, 'containerd'), { recursive: true });
  }
  return { rootDir, hostKeys: await freshHostKeys(join(etc, 'ssh'), h.name) };
}

async function maskUnits(unitDir: string): Promise<void> {
  await mkdir(unitDir, { recursive: true });
  for (const unit of MASKED_UNITS) {
    await rm(join(unitDir, unit), { force: true });
    await symlink('/dev/null', join(unitDir, unit));
  }
}

/** The cached root carries the keys debootstrap made: every host gets its own instead. */
async function freshHostKeys(sshDir: string, hostName: string): Promise<string[]> {
  for (const f of await readdir(sshDir)) {
    if (f.startsWith('ssh_host_')) await rm(join(sshDir, f), { force: true });
  }
  const keys = await generateHostKeys(sshDir, hostName);
  const conf = HOST_KEY_TYPES.map((t) => `HostKey /etc/ssh/ssh_host_${t}_key`).join('\n') + '\n';
  await writeFile(join(sshDir, 'sshd_config.d', 'tsplay-lab-hostkeys.conf'), conf);
  return keys;
}

export function nspawnArgv(o: ResolvedLabOptions, h: LabHostPlan, rootDir: string, extra: readonly string[] = []): string[] {
  // --register=no --keep-unit: there is no systemd on the controller ("Failed to open system bus").
  const argv = ['systemd-nspawn', '-D', rootDir, '-M', h.netns, `--hostname=${h.name}`, '--boot',
    '--register=no', '--keep-unit', `--network-namespace-path=/run/netns/${h.netns}`,
    '--console=read-only', '--resolv-conf=off', '--timezone=off', '--link-journal=no'];
  if (o.containers) argv.push('--capability=all', `--bind=${join(h.dir, 'containerd')}:/var/lib/containerd`);
  // The host's own network namespace is all CAP_NET_ADMIN reaches: net.* sysctls, routes, links.
  else argv.push('--capability=CAP_NET_ADMIN');
  return [...argv, ...extra];
}

/**
 * Starts the host detached (own session and own cgroup, survives the caller); returns the
 * PID of systemd-nspawn (the cgroup wrapper execs it, so the PID stays the same).
 */
export async function bootSystemdHost(o: ResolvedLabOptions, h: LabHostPlan, rootDir: string, extra: readonly string[] = []): Promise<number> {
  // /proc/sys/net is per network namespace, so hosts may write it (Kubespray's net.* sysctls);
  // the rest of /proc/sys is the machine's and stays read-only unless containers need it.
  const env = o.containers
    ? { ...process.env, SYSTEMD_SECCOMP: '0', SYSTEMD_NSPAWN_API_VFS_WRITABLE: '1' }
    : { ...process.env, SYSTEMD_NSPAWN_API_VFS_WRITABLE: 'network' };
  const procs = await createHostCgroups(h.netns);
  return spawnDetached(inCgroupsArgv(procs, nspawnArgv(o, h, rootDir, extra)), join(h.dir, 'console.log'), env);
}

/** setsid + output to a log file + unref: the process outlives `tsplay lab up`. */
export function spawnDetached(argv: readonly string[], logFile: string, env: NodeJS.ProcessEnv): number {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], env });
    child.on('error', () => {}); // a failed start shows up as a host that never answers
    child.unref();
    if (child.pid === undefined) throw new TsplayError('lab', `cannot start ${argv[0]}`, { hint: 'run `tsplay lab up` again: it installs the packages the lab needs' });
    return child.pid;
  } finally {
    closeSync(fd);
  }
}
