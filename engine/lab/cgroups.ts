import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Each lab host gets its own cgroup (in every mounted hierarchy) before systemd-nspawn
 * starts. Without a systemd on the controller, every nspawn sits in the same cgroup and
 * puts its container in the same `<cgroup>/payload`: the hosts' systemds then share one
 * tree, attach each other's units (seen: units failing with 219/CGROUP) and would kill
 * each other's processes on shutdown.
 */
export const LAB_CGROUP = 'tsplay-lab';

interface Hierarchy {
  readonly mount: string;
  /** How /proc/self/cgroup names it: 'name=systemd', 'cpu', or '' for cgroup2. */
  readonly key: string;
}

/** cgroup v1 and v2 mount points of /proc/mounts with the key /proc/self/cgroup uses. */
export function parseHierarchies(procMounts: string): Hierarchy[] {
  const out: Hierarchy[] = [];
  for (const line of procMounts.split('\n')) {
    const [, mount, type, options] = line.split(' ');
    if (type === 'cgroup2') out.push({ mount, key: '' });
    if (type !== 'cgroup') continue;
    const known = ['rw', 'ro', 'relatime', 'noatime', 'nosuid', 'nodev', 'noexec', 'clone_children', 'xattr', 'nsdelegate'];
    const key = options.split(',').filter((o) => !known.includes(o) && !o.startsWith('release_agent=')).join(',');
    out.push({ mount, key });
  }
  return out;
}

/** `hierarchy key -> path` of a /proc/PID/cgroup file ("9:name=systemd:/x" → name=systemd → /x). */
export function parseProcCgroup(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (m) map.set(m[1], m[2]);
  }
  return map;
}

/** `<hierarchy><controller's own cgroup>/tsplay-lab` in each mounted hierarchy. */
async function labCgroupRoots(): Promise<string[]> {
  const hierarchies = parseHierarchies(await readFile('/proc/mounts', 'utf8'));
  const own = parseProcCgroup(await readFile('/proc/self/cgroup', 'utf8'));
  return hierarchies.filter((h) => own.has(h.key)).map((h) => join(h.mount, own.get(h.key) ?? '/', LAB_CGROUP));
}

/** Directories of the host's cgroup in each hierarchy, below the controller's own cgroup. */
export async function hostCgroupDirs(netns: string): Promise<string[]> {
  return (await labCgroupRoots()).map((root) => join(root, netns));
}

/** Creates the host's cgroups; returns the cgroup.procs files the launcher must enter. */
export async function createHostCgroups(netns: string): Promise<string[]> {
  const dirs = await hostCgroupDirs(netns);
  for (const dir of dirs) {
    await mkdir(dir, { recursive: true });
    if (dir.includes('/cpuset/')) await inheritCpuset(dir);
  }
  return dirs.map((d) => join(d, 'cgroup.procs'));
}

/** A new cpuset cgroup starts with no CPUs and no memory nodes: copy them down from the parent. */
async function inheritCpuset(dir: string): Promise<void> {
  for (const level of [join(dir, '..'), dir]) {
    for (const f of ['cpuset.cpus', 'cpuset.mems']) {
      const current = await readFile(join(level, f), 'utf8').catch(() => '');
      // read + write: copyFile copies nothing out of cgroupfs (its files claim size 0).
      if (current.trim() === '') await writeFile(join(level, f), await readFile(join(level, '..', f), 'utf8'));
    }
  }
}

/** Removes a host's cgroup trees (children first; cgroupfs only lets empty directories go). */
export async function removeHostCgroups(netns: string): Promise<void> {
  for (const dir of await hostCgroupDirs(netns)) await rmdirTree(dir);
}

async function rmdirTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
  if (entries === null) return;
  for (const e of entries) if (e.isDirectory()) await rmdirTree(join(dir, e.name));
  await rmdir(dir).catch(() => {});
}

/** Names of host cgroups of this lab that still exist (crash cleanup finds them by name). */
export async function leftoverHostCgroups(nameRe: RegExp): Promise<string[]> {
  const names = new Set<string>();
  for (const root of await labCgroupRoots()) {
    for (const e of await readdir(root).catch(() => [] as string[])) if (nameRe.test(e)) names.add(e);
  }
  return [...names];
}

/**
 * Enters the cgroups then execs the launcher: a constant script, every value passed as an
 * argument ($1 = how many cgroup.procs files follow).
 */
export function inCgroupsArgv(procsFiles: readonly string[], argv: readonly string[]): string[] {
  const script = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';
  return ['sh', '-c', script, 'tsplay-lab-launch', String(procsFiles.length), ...procsFiles, ...argv];
}
