import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { TsplayError } from '../errors/index.js';
import { run } from './exec.js';
import { isAlive } from './processes.js';

/** Debian release of the cached root filesystem (matches this machine kind). */
export const ROOTFS_SUITE = 'bookworm';

/**
 * What every systemd lab host has: sshd to be reached, python3 for ansible-playbook (the
 * oracle), sudo for become tests, curl + ca-certificates for the file mirror, and what
 * unarchive/modprobe need on a host (unzip, xz, bzip2, kmod).
 */
export const ROOTFS_PACKAGES: readonly string[] = [
  'systemd', 'systemd-sysv', 'dbus', 'openssh-server', 'iproute2', 'procps',
  'ca-certificates', 'curl', 'python3', 'sudo', 'kmod', 'unzip', 'xz-utils', 'bzip2',
];

const MARKER = '.tsplay-rootfs.json';

/** The marker says which package list a cached tree was built with; another list rebuilds. */
function markerText(): string {
  return JSON.stringify({ suite: ROOTFS_SUITE, packages: ROOTFS_PACKAGES }) + '\n';
}

export async function rootfsIsCurrent(cacheDir: string): Promise<boolean> {
  try {
    return (await readFile(join(cacheDir, MARKER), 'utf8')) === markerText();
  } catch {
    return false;
  }
}

/** The Debian mirror apt already uses here (deb822 or one-line sources), else deb.debian.org. */
export async function aptMirror(): Promise<string> {
  const files = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const f of files) {
    const text = await readFile(f, 'utf8').catch(() => '');
    const m = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+\w+/m.exec(text);
    if (m) return m[1];
  }
  return 'http://deb.debian.org/debian';
}

/**
 * Builds the minbase root filesystem once (~1 min) and reuses it after. Several labs may
 * start at once (parallel test files on a fresh machine): one builds under a lock while the
 * others wait, then all use the same tree.
 */
export async function ensureRootfs(cacheDir: string, log: (line: string) => void): Promise<void> {
  if (await rootfsIsCurrent(cacheDir)) return;
  await mkdir(dirname(cacheDir), { recursive: true });
  const release = await acquireLock(`${cacheDir}.lock`, log);
  try {
    if (!(await rootfsIsCurrent(cacheDir))) await buildRootfs(cacheDir, log);
  } finally {
    await release();
  }
}

/** Built beside the target and renamed into place: a crash never leaves a half tree. */
async function buildRootfs(cacheDir: string, log: (line: string) => void): Promise<void> {
  const partial = `${cacheDir}.partial`;
  await rm(partial, { recursive: true, force: true });
  const mirror = await aptMirror();
  log(`building the lab root filesystem in ${cacheDir} (debootstrap ${ROOTFS_SUITE} from ${mirror}, about a minute, once)`);
  const started = Date.now();
  try {
    await run(
      ['debootstrap', '--variant=minbase', `--include=${ROOTFS_PACKAGES.join(',')}`, ROOTFS_SUITE, partial, mirror],
      { what: 'debootstrap failed', hint: `check that ${mirror} is reachable (apt-get update works) and there is ~400 MB free under ${dirname(cacheDir)}` },
    );
    await writeFile(join(partial, MARKER), markerText());
    await retireOldTree(cacheDir);
    await rename(partial, cacheDir);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  log(`root filesystem ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * A tree built with another package list is moved aside, and deleted only when no overlay
 * uses it as its lower layer (a running lab keeps working on the old tree).
 */
async function retireOldTree(cacheDir: string): Promise<void> {
  if (!existsSync(cacheDir)) return;
  const old = `${cacheDir}.old-${Date.now()}`;
  await rename(cacheDir, old);
  const mounts = await readFile('/proc/mounts', 'utf8');
  if (!mounts.includes(`lowerdir=${cacheDir}`)) await rm(old, { recursive: true, force: true });
}

/** mkdir is atomic: the lock is a directory holding the owner's PID; a dead owner's lock is taken over. */
export async function acquireLock(lock: string, log: (line: string) => void): Promise<() => Promise<void>> {
  const deadline = Date.now() + 15 * 60_000;
  let pause = 100;
  let told = false;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      return () => rm(lock, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => '0'));
    if (owner > 0 && !(await isAlive(owner))) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (!told) log(`waiting for another tsplay building the lab root filesystem (${lock})`);
    told = true;
    if (Date.now() > deadline) throw new TsplayError('lab', `timed out waiting for the lock ${lock}`, { hint: 'remove it if no tsplay lab up is running' });
    await delay(pause);
    pause = Math.min(pause * 2, 2_000);
  }
}
