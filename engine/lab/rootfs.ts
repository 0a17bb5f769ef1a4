import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { run } from './exec.js';

/** Debian release of the cached root filesystem (matches this machine kind). */
export const ROOTFS_SUITE = 'bookworm';

/**
 * What every systemd lab host has: sshd to be reached, python3 for ansible-playbook (the
 * oracle), sudo for become tests, curl + ca-certificates for the file mirror.
 */
export const ROOTFS_PACKAGES: readonly string[] = [
  'systemd', 'systemd-sysv', 'dbus', 'openssh-server', 'iproute2', 'procps',
  'ca-certificates', 'curl', 'python3', 'sudo',
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
 * Builds the minbase root filesystem once (~1 min) and reuses it after. Built beside the
 * target and renamed into place, so a crash or a concurrent build never leaves a half tree.
 */
export async function ensureRootfs(cacheDir: string, log: (line: string) => void): Promise<void> {
  if (await rootfsIsCurrent(cacheDir)) return;
  const partial = `${cacheDir}.partial-${process.pid}`;
  await mkdir(dirname(cacheDir), { recursive: true });
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
    if (existsSync(cacheDir)) await rm(cacheDir, { recursive: true, force: true });
    await rename(partial, cacheDir);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  log(`root filesystem ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
