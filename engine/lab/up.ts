import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { teardown } from './down.js';
import { renderLabInventory } from './inventory.js';
import { ensureLabKey, renderKnownHosts, writeKnownHosts } from './keys.js';
import { addHostNetwork, ensureBridge } from './network.js';
import { bootNetnsHost, prepareNetnsHost } from './netns-host.js';
import type { LabHostPlan, LabOptions, ResolvedLabOptions } from './options.js';
import { planHosts, resolveLabOptions } from './options.js';
import { isLabLauncher } from './ownership.js';
import { ensureInotifyInstances } from './inotify.js';
import { ensureLabPackages } from './packages.js';
import { isAlive, processArgv } from './processes.js';
import { requireRoot } from './root.js';
import { ensureRootfs } from './rootfs.js';
import { allLabHosts, readLabState, writeLabState } from './state.js';
import { bootMirror, fillMirror, mirrorPlan, prepareMirror } from './mirror/index.js';
import type { LabHostState, LabState } from './state.js';
import { bootSystemdHost, prepareSystemdHost } from './systemd-host.js';
import { sshAnswers, waitForSsh } from './wait-ssh.js';

/**
 * Brings the lab up: reuses a running lab with the same settings, otherwise cleans up
 * whatever is left of it and builds it afresh (hosts prepared and booted in parallel).
 */
export async function labUp(opts: LabOptions = {}): Promise<LabState> {
  requireRoot();
  const o = resolveLabOptions(opts);
  const started = Date.now();
  const existing = await readLabState(o.stateDir).catch(() => null);
  if (existing && (await isReusable(o, existing))) {
    o.log(`lab ${o.name} is already up (${existing.hosts.length} ${existing.kind} hosts): reused`);
    return existing;
  }
  await teardown(o, existing);
  await ensureLabPackages(o.kind, o.log);
  if (o.kind === 'systemd') {
    await ensureRootfs(o.cacheDir, o.log);
    await ensureInotifyInstances(o.hosts, o.log);
  }
  const state = await createLab(o).catch((e: unknown) => {
    // Left as it is for a look at hosts/*/console.log; down removes it all.
    o.log(`lab ${o.name} did not come up: \`tsplay lab down --name ${o.name}\` removes what was started`);
    throw e;
  });
  o.log(`lab ${o.name} up: ${state.hosts.length} ${o.kind} hosts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return state;
}

/** Same settings, every host's launcher alive and its sshd answering. */
async function isReusable(o: ResolvedLabOptions, s: LabState): Promise<boolean> {
  const same = s.kind === o.kind && s.subnet === o.subnet && s.hosts.length === o.hosts
    && s.containers === o.containers && Boolean(s.mirror) === o.mirror && s.cacheDir === o.cacheDir && s.stateDir === o.stateDir;
  if (!same) {
    o.log(`lab ${o.name} exists with other settings: recreating it`);
    return false;
  }
  const id = { name: o.name, stateDir: o.stateDir };
  const ok = await Promise.all(allLabHosts(s).map(async (h) =>
    (await isAlive(h.pid)) && isLabLauncher(await processArgv(h.pid), id) && sshAnswers(h.ip)));
  if (ok.includes(false)) o.log(`lab ${o.name} is partly down: recreating it`);
  return !ok.includes(false);
}

async function createLab(o: ResolvedLabOptions): Promise<LabState> {
  await mkdir(o.stateDir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = await ensureLabKey(o.stateDir, o.name);
  await ensureBridge(o);
  const plans = planHosts(o);
  const mirrorInputs = o.mirror ? await prepareMirror(o, mirrorPlan(o).ip) : null;
  // the mirror host boots alongside the nodes
  const [booted, mirror] = await Promise.all([
    Promise.all(plans.map((h) => startHost(o, h, plans, publicKey))),
    mirrorInputs ? bootMirror(o, plans, publicKey, mirrorInputs) : Promise.resolve(null),
  ]);
  const state: LabState = {
    version: 1, name: o.name, kind: o.kind, subnet: o.subnet, bridge: o.bridge, containers: o.containers,
    stateDir: o.stateDir, cacheDir: o.cacheDir, privateKey,
    knownHosts: join(o.stateDir, 'known_hosts'), inventory: join(o.stateDir, 'inventory.ini'),
    createdAt: new Date().toISOString(), hosts: booted.map((b) => b.host), mirror: mirror?.host ?? null,
  };
  // Recorded before waiting: a lab that fails to boot is still torn down by PID.
  await writeLabState(state);
  await Promise.all(allLabHosts(state).map((h) => waitForSsh(h.name, h.ip, o.timeoutSeconds * 1000, () => isAlive(h.pid))));
  const withKeys = [...booted, ...(mirror ? [mirror] : [])].map((b) => ({ ...b.host, keys: b.keys }));
  await writeKnownHosts(state.knownHosts, renderKnownHosts(withKeys));
  if (mirror && mirrorInputs) await fillMirror(o, mirror.host, mirrorInputs, o.stateDir);
  await writeFile(state.inventory, renderLabInventory({ labName: o.name, kind: o.kind, hosts: state.hosts, privateKey, knownHosts: state.knownHosts }));
  return state;
}

async function startHost(o: ResolvedLabOptions, h: LabHostPlan, all: readonly LabHostPlan[], publicKey: string): Promise<{ host: LabHostState; keys: string[] }> {
  await mkdir(h.dir, { recursive: true });
  await addHostNetwork(o, h);
  const base = { name: h.name, ip: h.ip, netns: h.netns, veth: h.veth };
  if (o.kind === 'systemd') {
    const { rootDir, hostKeys } = await prepareSystemdHost(o, h, all, publicKey);
    return { host: { ...base, pid: await bootSystemdHost(o, h, rootDir), rootDir }, keys: hostKeys };
  }
  const keys = await prepareNetnsHost(h, all, publicKey);
  return { host: { ...base, pid: bootNetnsHost(h), rootDir: null }, keys };
}
