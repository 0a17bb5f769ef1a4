import { basename } from 'node:path';

/**
 * How the lab recognises what it started, by name, without trusting a PID alone (a recorded
 * PID may have been reused by an unrelated process after a crash or a reboot).
 */
export interface LabIdentity {
  readonly name: string;
  readonly stateDir: string;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function labNetnsRe(name: string): RegExp {
  return new RegExp(`^${escape(name)}-node\\d+$`);
}

export function labLinkRe(name: string): RegExp {
  return new RegExp(`^${escape(name)}-(?:br|v\\d+)$`);
}

/** systemd-nspawn joined to one of this lab's namespaces, or the unshare/nsenter of a netns host. */
export function isLabLauncher(argv: readonly string[], id: LabIdentity): boolean {
  if (argv.length === 0) return false;
  const prog = basename(argv[0]);
  const ns = `/run/netns/${escape(id.name)}-node\\d+`;
  if (prog === 'systemd-nspawn') return argv.some((a) => new RegExp(`^--network-namespace-path=${ns}$`).test(a));
  if (prog === 'nsenter') return argv.some((a) => new RegExp(`^--net=${ns}$`).test(a));
  if (prog === 'unshare') {
    const init = new RegExp(`^${escape(id.stateDir)}/hosts/node\\d+/init\\.sh$`);
    return argv.some((a) => init.test(a));
  }
  return false;
}

/** Mount points under the lab's state directory, deepest first (the order to unmount them). */
export function labMounts(procMounts: string, stateDir: string): string[] {
  const prefix = stateDir.endsWith('/') ? stateDir : `${stateDir}/`;
  const points = procMounts.split('\n')
    .map((l) => l.split(' ')[1])
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\040/g, ' '))
    .filter((p) => p.startsWith(prefix));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** The root directory a systemd-nspawn was started on (`-D DIR` or `--directory=DIR`). */
export function nspawnRootDir(argv: readonly string[]): string | null {
  if (argv.length === 0 || basename(argv[0]) !== 'systemd-nspawn') return null;
  for (let i = 1; i < argv.length; i++) {
    if ((argv[i] === '-D' || argv[i] === '--directory') && i + 1 < argv.length) return argv[i + 1];
    if (argv[i].startsWith('--directory=')) return argv[i].slice('--directory='.length);
  }
  return null;
}
