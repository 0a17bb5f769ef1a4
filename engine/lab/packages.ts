import { run } from './exec.js';
import type { LabKind } from './options.js';

/** Debian packages the controller needs, per lab kind (util-linux and mount are essential). */
export function labPackages(kind: LabKind): string[] {
  const common = ['iproute2', 'openssh-client', 'util-linux', 'mount'];
  // netns hosts run the machine's own sshd; systemd hosts bring theirs in the root filesystem.
  return kind === 'systemd' ? [...common, 'debootstrap', 'systemd-container'] : [...common, 'openssh-server'];
}

async function isInstalled(pkg: string): Promise<boolean> {
  const res = await run(['dpkg-query', '-W', '-f=${Status}', pkg], { okCodes: [0, 1] });
  return res.code === 0 && res.stdout.trim() === 'install ok installed';
}

/** Installs (non-interactively) whichever lab packages are missing; returns what it installed. */
export async function ensureLabPackages(kind: LabKind = 'systemd', log: (line: string) => void = console.log): Promise<string[]> {
  const wanted = labPackages(kind);
  const missing = (await Promise.all(wanted.map(async (p) => ((await isInstalled(p)) ? null : p))))
    .filter((p): p is string => p !== null);
  if (missing.length === 0) return [];
  log(`installing lab packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing];
  const first = await run(install, { env, okCodes: [0, 100] });
  if (first.code !== 0) {
    // Usually stale package lists: refresh once, then try again for real.
    await run(['apt-get', 'update', '-q'], { env, what: 'apt-get update failed' });
    await run(install, { env, what: `cannot install ${missing.join(' ')}`, hint: 'check that apt-get works on this machine' });
  }
  return missing;
}
