import { resolve } from 'node:path';
import { inventoryVarLayers, selectHosts } from '../inventory/index.js';
import type { Inventory } from '../inventory/index.js';
import type { RawVars, RoleRef, TaskNode } from '../model/types.js';
import type { VarLayerEntry } from '../vars/layers.js';
import { LazyVars, varsObjectView } from '../vars/var-source.js';
import { connectionDefaults, IMPLICIT_LOCAL_NAMES, implicitLocalhostVars } from '../vars/implicit-localhost.js';
import { taskSearchPath } from '../template/lookups/search-path.js';
import { activeHosts, type PlayContext } from './context.js';
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

/** Facts are visible as ansible_facts.X and, like ansible's inject_facts_as_vars, as ansible_X. */
function factLayer(facts: RawVars): VarLayerEntry {
  const vars: Record<string, unknown> = { ansible_facts: facts };
  for (const [k, v] of Object.entries(facts)) vars[k.startsWith('ansible_') ? k : `ansible_${k}`] = v;
  return { layer: 'facts', source: 'host facts', vars, final: true };
}

function magicVars(pc: PlayContext, host: string, scope: ExecScope | undefined, task?: TaskNode): Record<string, unknown> {
  const run = pc.run;
  const inv = run.state.inventory;
  const groups = groupsMap(pc);
  const role = scope?.roles[scope.roles.length - 1];
  const playHosts = activeHosts(pc, pc.playHostsAll);
  return {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0],
    // like ansible: only `all` is left out, an ungrouped host has group_names ['ungrouped']
    group_names: (inv.hosts.get(host)?.groups ?? []).filter((g) => g !== 'all').sort(),
    groups,
    hostvars: hostvarsView(pc),
    play_hosts: activeHosts(pc, pc.batch),
    ansible_play_hosts: playHosts,
    ansible_play_hosts_all: [...pc.playHostsAll],
    ansible_play_batch: activeHosts(pc, pc.batch),
    ansible_play_name: pc.play.name,
    ansible_play_role_names: pc.play.roles.map((r) => r.name),
    ansible_role_names: pc.play.roles.map((r) => r.name),
    playbook_dir: pc.play.playbookDir,
    // like ansible: absolute paths, whatever -i said
    inventory_dir: inv.hosts.get(host)?.inventoryFile ? pathDir(resolve(inv.hosts.get(host)!.inventoryFile!)) : run.options.inventoryDir ?? null,
    inventory_file: inv.hosts.get(host)?.inventoryFile ? resolve(inv.hosts.get(host)!.inventoryFile!) : run.options.inventoryFile ?? null,
    ansible_check_mode: run.options.check,
    ansible_diff_mode: run.options.diff,
    ansible_forks: run.options.forks,
    ansible_verbosity: run.options.verbosity,
    ansible_run_tags: run.options.tags.length > 0 ? [...run.options.tags] : ['all'],
    ansible_skip_tags: [...run.options.skipTags],
    ansible_version: ANSIBLE_VERSION,
    ansible_config_file: run.options.configFile ?? null,
    omit: run.omit,
    // like ansible: only set when --limit was given
    ...(run.options.limit !== undefined ? { ansible_limit: run.options.limit } : {}),
    ansible_search_path: taskSearchPath(scope?.roles.map((r) => r.path) ?? [], task?.loc.file),
    ...(role ? { role_name: role.name, role_path: role.path, ansible_role_name: role.name, role_names: pc.play.roles.map((r) => r.name) } : {}),
  };
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

/** hostvars: every inventory host's variables in play context, resolved lazily on access. */
export function hostvarsView(pc: PlayContext): Record<string, unknown> {
  return new Proxy({} as Record<string, unknown>, {
    // like ansible's HostVars: the implicit localhost answers too, without being listed
    get: (_t, key) => (typeof key === 'string' && knownHost(pc, key) ? varsObjectView(() => hostVars(pc, key), NOT_IN_HOSTVARS, true) : undefined),
    has: (_t, key) => typeof key === 'string' && knownHost(pc, key),
    ownKeys: () => [...pc.run.state.inventory.hosts.keys()],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && knownHost(pc, key)
        ? { enumerable: true, configurable: true, value: varsObjectView(() => hostVars(pc, key), NOT_IN_HOSTVARS, true) }
        : undefined,
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
  layers.push(factLayer(st.facts));
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
  const magic = magicVars(pc, host, scope, task);
  layers.push({ layer: 'magic', source: 'magic variables', vars: magic, final: true });
  if (scope && Object.keys(scope.loopVars).length > 0) layers.push({ layer: 'loop', source: 'include loop', vars: scope.loopVars, final: true });
  return layers;
}

export function hostVars(pc: PlayContext, host: string, scope?: ExecScope, task?: TaskNode, extra: readonly VarLayerEntry[] = []): LazyVars {
  const layers = [...varLayers(pc, host, scope, task), ...extra];
  const magic = layers.find((l) => l.layer === 'magic')!.vars as Record<string, unknown>;
  const lv = new LazyVars(layers, pc.run.templar, task?.loc, pc.run.options.hashBehaviour === 'merge');
  // `vars` is the variables of this very context, like ansible's 'vars' magic variable.
  magic.vars = varsObjectView(() => lv, NOT_IN_VARS);
  magic.environment = [];
  return lv;
}
