import { readFile, rm } from 'node:fs/promises';
import { TsplayError, isTsplayError } from '../errors/index.js';
import { leftoverHostCgroups, removeHostCgroups } from './cgroups.js';
import { run } from './exec.js';
import { listLinks, listNetns, netnsPids, removeLink, removeNetns } from './network.js';
import type { LabOptions, ResolvedLabOptions } from './options.js';
import { resolveLabOptions } from './options.js';
import { isLabLauncher, labLinkRe, labMounts, labNetnsRe, nspawnRootDir } from './ownership.js';
import { findProcesses, kill, processArgv, terminate, waitGone } from './processes.js';
import { allLabHosts, readLabState } from './state.js';
import type { LabState } from './state.js';
import { requireRoot } from './root.js';

/** systemd needs ~1.3 s to power a host off on TERM; past this it is killed. */
const STOP_GRACE_MS = 8_000;

/** Takes the lab down completely; safe to run when it is half up, crashed, or absent. */
export async function labDown(opts: LabOptions = {}): Promise<void> {
  requireRoot();
  const o = resolveLabOptions(opts);
  const started = Date.now();
  const state = await readLabState(o.stateDir).catch((e: unknown) => {
    if (!isTsplayError(e)) throw e;
    o.log(`${e.message}; cleaning up by name`);
    return null;
  });
  await teardown(o, state);
  o.log(`lab ${o.name} down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Recorded PIDs first (checked by argv), then whatever the name lookups still find. */
export async function teardown(o: ResolvedLabOptions, state: LabState | null): Promise<void> {
  const id = { name: o.name, stateDir: o.stateDir };
  const recorded: number[] = [];
  const hosts = state ? allLabHosts(state) : [];
  for (const h of hosts) {
    if (isLabLauncher(await processArgv(h.pid), id)) recorded.push(h.pid);
  }
  const found = await findProcesses((argv) => isLabLauncher(argv, id));
  // Overlay roots named by the launchers too: a lab brought up from another directory
  // (another state dir) still has its mounts found and undone.
  const roots = [...hosts.map((h) => h.rootDir), ...(await Promise.all(found.map(async (p) => nspawnRootDir(await processArgv(p)))))];
  await stopLaunchers([...new Set([...recorded, ...found])]);
  const namespaces = (await listNetns()).filter((n) => labNetnsRe(o.name).test(n));
  // Whatever still lives in a lab namespace was started there by the lab (a host whose
  // launcher was killed behind the lab's back keeps running): kill it.
  const stragglers = (await Promise.all(namespaces.map(netnsPids))).flat();
  kill(stragglers);
  await waitGone(stragglers, 5_000);
  for (const root of new Set(roots)) if (root !== null) await unmountAll(root, false);
  await unmountAll(o.stateDir);
  const cgroups = new Set([...namespaces, ...hosts.map((h) => h.netns), ...(await leftoverHostCgroups(labNetnsRe(o.name)))]);
  for (const netns of cgroups) await removeHostCgroups(netns);
  await Promise.all(namespaces.map(removeNetns));
  for (const link of (await listLinks()).filter((l) => labLinkRe(o.name).test(l))) await removeLink(link);
  await rm(o.stateDir, { recursive: true, force: true });
}

/** nspawn powers its host off on TERM; unshare ignores TERM, so its pid-1 child gets it. */
async function stopLaunchers(pids: number[]): Promise<void> {
  const targets: number[] = [];
  for (const pid of pids) {
    const argv = await processArgv(pid);
    targets.push(...(argv[0]?.endsWith('unshare') ? await childrenOf(pid) : [pid]));
  }
  for (const t of targets) {
    try {
      process.kill(t, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  await terminate(pids, STOP_GRACE_MS);
}

async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.trim().split(/\s+/).filter((s) => s !== '').map(Number);
}

/** Unmounts everything below dir (and dir itself when asked), deepest first, lazily if busy. */
async function unmountAll(dir: string, onlyBelow = true): Promise<void> {
  const pointsNow = async (): Promise<string[]> => {
    const mounted = await readFile('/proc/mounts', 'utf8');
    const self = !onlyBelow && mounted.split('\n').some((l) => l.split(' ')[1] === dir) ? [dir] : [];
    return [...labMounts(mounted, dir), ...self];
  };
  for (const point of await pointsNow()) await run(['umount', point], { okCodes: [0, 1, 32] });
  for (const point of await pointsNow()) await run(['umount', '--lazy', point], { okCodes: [0, 1, 32] });
  if ((await pointsNow()).length > 0) {
    throw new TsplayError('lab', `cannot unmount the lab filesystems under ${dir}`, { hint: `see \`grep ${dir} /proc/mounts\`; the state directory was kept` });
  }
}
