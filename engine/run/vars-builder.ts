import { resolve } from 'node:path';
import { inventoryVarLayers, selectHosts } from '../inventory/index.js';
import type { Inventory } from '../inventory/index.js';
import type { RawVars, RoleRef, TaskNode } from '../model/types.js';
import type { VarLayerEntry } from '../vars/layers.js';
import { LazyVars, varsObjectView } from '../vars/var-source.js';
import { connectionDefaults, IMPLICIT_LOCAL_NAMES, implicitLocalhostVars } from '../vars/implicit-localhost.js';
import { taskSearchPath } from '../template/lookups/search-path.js';
import { activeHosts, type PlayContext, type PlayMagic } from './context.js';
import type { ExecScope } from './scope.js';

const ANSIBLE_VERSION = { full: '2.14.18', major: 2, minor: 14, revision: 18, string: '2.14.18' };

function groupsMap(pc: PlayContext): Record<string, string[]> {
  const inv = pc.run.state.inventory;
  if (pc.caches.groupsFor?.inv === inv) return pc.caches.groupsFor.groups;
  const groups: Record<string, string[]> = {};
  for (const g of inv.groups.keys()) groups[g] = selectHosts(inv, g);
  pc.caches.groupsFor = { inv, groups };
  return groups;
}

function inventoryLayers(pc: PlayContext, host: string): readonly VarLayerEntry[] {
  const inv: Inventory = pc.run.state.inventory;
  const hit = pc.caches.inventoryLayers.get(host);
  if (hit && hit.inv === inv) return hit.layers as VarLayerEntry[];
  const layers: VarLayerEntry[] = inventoryVarLayers(inv, host, pc.playbookVars).map((l) => ({ layer: 'inventory' as const, source: l.source, vars: l.vars }));
  if (!inv.hosts.has(host) && IMPLICIT_LOCAL_NAMES.includes(host)) layers.unshift({ layer: 'inventory', source: 'implicit localhost', vars: implicitLocalhostVars() });
  pc.caches.inventoryLayers.set(host, { inv, layers });
  return layers;
}

/**
 * Facts are visible as ansible_facts.X and, like ansible's inject_facts_as_vars, as ansible_X.
 * Built once per facts object: writers replace a host's facts instead of changing them in place
 * (run-state.ts), so the object's identity says whether the layer is still current.
 */
function factLayer(pc: PlayContext, facts: Readonly<Record<string, unknown>>): VarLayerEntry {
  const hit = pc.caches.factLayers.get(facts);
  if (hit !== undefined) return hit;
  const vars: Record<string, unknown> = { ansible_facts: facts };
  for (const [k, v] of Object.entries(facts)) vars[k.startsWith('ansible_') ? k : `ansible_${k}`] = v;
  const layer: VarLayerEntry = { layer: 'facts', source: 'host facts', vars, final: true };
  pc.caches.factLayers.set(facts, layer);
  return layer;
}

/**
 * The magic variables that are the same for every host of the play: built once per batch and
 * standing of the hosts (a host failing or ending changes ansible_play_hosts), not per host and
 * task, so that a task costs the same whatever the number of hosts.
 */
function playMagic(pc: PlayContext): PlayMagic {
  const run = pc.run;
  const key = { standing: run.ledger.standing, forBatch: pc.batch, inv: run.state.inventory };
  const hit = pc.caches.playMagic;
  if (hit !== undefined && hit.standing === key.standing && hit.forBatch === key.forBatch && hit.inv === key.inv) return hit;
  const vars: Record<string, unknown> = {
    groups: groupsMap(pc),
    hostvars: (pc.caches.hostvars ??= hostvarsView(pc)),
    ansible_play_name: pc.play.name,
    playbook_dir: pc.play.playbookDir,
    ansible_check_mode: run.options.check,
    ansible_diff_mode: run.options.diff,
    ansible_forks: run.options.forks,
    ansible_verbosity: run.options.verbosity,
    ansible_version: ANSIBLE_VERSION,
    ansible_config_file: run.options.configFile ?? null,
    omit: run.omit,
    // like ansible: only set when --limit was given
    ...(run.options.limit !== undefined ? { ansible_limit: run.options.limit } : {}),
  };
  const layer: VarLayerEntry = { layer: 'magic', source: 'magic variables', vars, final: true };
  const built: PlayMagic = { ...key, layer, playHosts: activeHosts(pc, pc.playHostsAll), activeBatch: activeHosts(pc, pc.batch) };
  pc.caches.playMagic = built;
  return built;
}

/** A fresh copy on first read, like ansible's per-call lists: a template that changes one changes no other host's. */
function lazyCopy(target: Record<string, unknown>, name: string, list: () => readonly string[]): void {
  let copy: string[] | undefined;
  Object.defineProperty(target, name, { enumerable: true, configurable: true, get: () => (copy ??= [...list()]) });
}

/** The magic variables of one host in one task (the play-level ones are in playMagic's layer below). */
function hostMagic(pc: PlayContext, play: PlayMagic, host: string, scope: ExecScope | undefined, task?: TaskNode): Record<string, unknown> {
  const run = pc.run;
  const inv = run.state.inventory;
  const role = scope?.roles[scope.roles.length - 1];
  const where = inventoryPlace(pc, host);
  const out: Record<string, unknown> = {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0],
    // like ansible: only `all` is left out, an ungrouped host has group_names ['ungrouped']
    group_names: (inv.hosts.get(host)?.groups ?? []).filter((g) => g !== 'all').sort(),
    ansible_play_role_names: pc.play.roles.map((r) => r.name),
    ansible_role_names: pc.play.roles.map((r) => r.name),
    inventory_dir: where.dir,
    inventory_file: where.file,
    ansible_run_tags: run.options.tags.length > 0 ? [...run.options.tags] : ['all'],
    ansible_skip_tags: [...run.options.skipTags],
    ansible_search_path: taskSearchPath(scope?.roles.map((r) => r.path) ?? [], task?.loc.file),
    ...(role ? { role_name: role.name, role_path: role.path, ansible_role_name: role.name, role_names: pc.play.roles.map((r) => r.name) } : {}),
  };
  lazyCopy(out, 'play_hosts', () => play.activeBatch);
  lazyCopy(out, 'ansible_play_hosts', () => play.playHosts);
  lazyCopy(out, 'ansible_play_hosts_all', () => pc.playHostsAll);
  lazyCopy(out, 'ansible_play_batch', () => play.activeBatch);
  return out;
}

/** like ansible: inventory_dir/inventory_file are absolute paths, whatever -i said. */
function inventoryPlace(pc: PlayContext, host: string): { dir: string | null; file: string | null } {
  const run = pc.run;
  const file = run.state.inventory.hosts.get(host)?.inventoryFile;
  if (file === undefined) return { dir: run.options.inventoryDir ?? null, file: run.options.inventoryFile ?? null };
  const abs = resolve(file);
  return { dir: pathDir(abs), file: abs };
}

function pathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '.' : p.slice(0, i);
}

/**
 * like ansible's HostVars (get_vars(include_hostvars=False)): a host's entry has no hostvars of
 * its own; nor `vars` here, whose view would lead back to hostvars (no endless str()).
 */
const NOT_IN_HOSTVARS: ReadonlySet<string> = new Set(['hostvars', 'vars']);
/** like ansible's `vars` (a copy of the variables): it does not contain itself. */
const NOT_IN_VARS: ReadonlySet<string> = new Set(['vars']);

function knownHost(pc: PlayContext, name: string): boolean {
  return pc.run.state.inventory.hosts.has(name) || IMPLICIT_LOCAL_NAMES.includes(name);
}

/**
 * hostvars[host]: like ansible's HostVars.__getitem__, the host's variables as of this access
 * (one resolution serves the entry's reads, not one per read).
 */
function hostEntry(pc: PlayContext, host: string): Record<string, unknown> {
  let vars: LazyVars | undefined;
  return varsObjectView(() => (vars ??= hostVars(pc, host)), NOT_IN_HOSTVARS, true);
}

/** hostvars: every inventory host's variables in play context, resolved lazily on access. */
export function hostvarsView(pc: PlayContext): Record<string, unknown> {
  return new Proxy({} as Record<string, unknown>, {
    // like ansible's HostVars: the implicit localhost answers too, without being listed
    get: (_t, key) => (typeof key === 'string' && knownHost(pc, key) ? hostEntry(pc, key) : undefined),
    has: (_t, key) => typeof key === 'string' && knownHost(pc, key),
    ownKeys: () => [...pc.run.state.inventory.hosts.keys()],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && knownHost(pc, key) ? { enumerable: true, configurable: true, value: hostEntry(pc, key) } : undefined,
  });
}

/** Like ansible's Role.get_default_vars: the dependencies' defaults (recursively), then the role's own. */
function roleDefaults(r: RoleRef, seen: Set<RoleRef> = new Set()): VarLayerEntry[] {
  if (seen.has(r)) return [];
  seen.add(r);
  return [...r.dependencies.flatMap((d) => roleDefaults(d, seen)), { layer: 'role_defaults', source: `role '${r.name}' defaults`, vars: r.defaults }];
}

/**
 * The layers for one host in one context, lowest first, in the order of vars/layers.ts.
 * With no scope/task this is the play-level view (used by hostvars and vars_files).
 */
export function varLayers(pc: PlayContext, host: string, scope?: ExecScope, task?: TaskNode): VarLayerEntry[] {
  const st = pc.run.state.host(host);
  const chain = scope?.roles ?? [];
  const playRoles = [...pc.play.roles.filter((r) => r.public), ...pc.publicIncludedRoles];
  const layers: VarLayerEntry[] = [];
  if (task) layers.push({ layer: 'connection_defaults', source: 'connection defaults', vars: connectionDefaults(host), final: true });
  for (const r of playRoles) layers.push({ layer: 'role_defaults', source: `role '${r.name}' defaults`, vars: r.defaults });
  for (const r of chain) layers.push(...roleDefaults(r));
  layers.push(...inventoryLayers(pc, host));
  layers.push(factLayer(pc, st.facts));
  layers.push({ layer: 'play_vars', source: 'play vars', vars: pc.play.kw.vars ?? {} });
  layers.push({ layer: 'vars_prompt', source: 'vars_prompt', vars: pc.promptVars });
  for (const vf of pc.varsFiles.get(host) ?? []) layers.push({ layer: 'vars_files', source: vf.source, vars: vf.vars });
  for (const r of playRoles) layers.push({ layer: 'role_vars', source: `role '${r.name}' vars`, vars: r.vars });
  for (const r of chain) layers.push({ layer: 'role_vars', source: `role '${r.name}' vars`, vars: r.vars });
  for (const b of scope?.blockVars ?? []) layers.push({ layer: 'block_vars', source: b.source, vars: b.vars });
  if (task?.kw.vars) layers.push({ layer: 'task_vars', source: 'task vars', vars: task.kw.vars });
  layers.push({ layer: 'include_vars', source: 'include_vars', vars: st.includeVars });
  layers.push({ layer: 'set_fact', source: 'set_fact / register', vars: st.setFacts, final: true });
  for (const r of chain) layers.push({ layer: 'role_params', source: `role '${r.name}' params`, vars: r.params });
  if (scope && Object.keys(scope.includeParams).length > 0) layers.push({ layer: 'include_params', source: 'include params', vars: scope.includeParams });
  layers.push({ layer: 'extra_vars', source: 'extra vars (-e)', vars: pc.run.options.extraVars });
  const play = playMagic(pc);
  layers.push(play.layer);
  layers.push({ layer: 'magic', source: 'magic variables', vars: hostMagic(pc, play, host, scope, task), final: true });
  if (scope && Object.keys(scope.loopVars).length > 0) layers.push({ layer: 'loop', source: 'include loop', vars: scope.loopVars, final: true });
  return layers;
}

export function hostVars(pc: PlayContext, host: string, scope?: ExecScope, task?: TaskNode, extra: readonly VarLayerEntry[] = []): LazyVars {
  const own = varLayers(pc, host, scope, task);
  // the host's own magic layer: the last one (the play-level one below it is shared by every host)
  let i = own.length - 1;
  while (own[i]!.layer !== 'magic') i--;
  const magic = own[i]!.vars as Record<string, unknown>;
  const layers = extra.length > 0 ? [...own, ...extra] : own;
  const lv = new LazyVars(layers, pc.run.templar, task?.loc, pc.run.options.hashBehaviour === 'merge');
  // `vars` is the variables of this very context, like ansible's 'vars' magic variable.
  magic.vars = varsObjectView(() => lv, NOT_IN_VARS);
  magic.environment = [];
  return lv;
}
