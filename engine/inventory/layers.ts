import type { Inventory, InventoryGroup, VarsFolders } from './model.js';
import { varsFilesFor } from './vars-folders.js';
import { IMPLICIT_LOCALHOST_NAMES } from './runtime.js';

/**
 * The inventory part of variable precedence, lowest first, as ansible-core 2.14's
 * VariableManager.get_vars builds it (VARIABLE_PRECEDENCE default, then the host entries):
 *
 *   all_inventory            vars of `all` from inventory files ([all:vars], all.vars)
 *   groups_inventory         inventory-file vars of the host's other groups, in group order
 *   all_plugins_inventory    group_vars/all beside each inventory source (source order)
 *   all_plugins_play         group_vars/all beside the playbook
 *   groups_plugins_inventory group_vars/<group> beside each inventory source, in group order
 *   groups_plugins_play      group_vars/<group> beside the playbook, in group order
 *   host_inventory           host vars from inventory files (host lines, hosts: entries)
 *   host_plugins_inventory   host_vars/<host> beside each inventory source
 *   host_plugins_play        host_vars/<host> beside the playbook
 *
 * So even a child group's inventory-file vars lose to group_vars/all.yml, and a parent
 * group's group_vars beside the playbook beat a child's group_vars beside the inventory
 * (checked against ansible-playbook; see test/unit/inventory/layers.test.ts).
 */
export type InventoryLayerName =
  | 'all_inventory'
  | 'groups_inventory'
  | 'all_plugins_inventory'
  | 'all_plugins_play'
  | 'groups_plugins_inventory'
  | 'groups_plugins_play'
  | 'host_inventory'
  | 'host_plugins_inventory'
  | 'host_plugins_play';

export interface VarLayer {
  readonly layer: InventoryLayerName;
  /** Where the vars came from: "inventory/hosts.ini [web:vars]", "inventory/group_vars/all.yml" ... */
  readonly source: string;
  /** The group or host the vars are attached to. */
  readonly owner: string;
  readonly vars: Readonly<Record<string, unknown>>;
}

/** ansible's sort_groups: by depth (parents before children), then ansible_group_priority, then name. */
export function sortGroups(groups: readonly InventoryGroup[]): InventoryGroup[] {
  return [...groups].sort((a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A host's groups except `all`, in variable-layering order (later groups win). */
export function hostGroupOrder(inv: Inventory, host: string): string[] {
  const h = inv.hosts.get(host);
  if (h === undefined) return [];
  const groups = h.groups.filter((g) => g !== 'all').map((g) => inv.groups.get(g)).filter((g): g is InventoryGroup => g !== undefined);
  return sortGroups(groups).map((g) => g.name);
}

/** Inventory-derived variable layers for `host`, lowest precedence first; fold them left to right. */
export function inventoryVarLayers(inv: Inventory, host: string, playbookVars?: VarsFolders): readonly VarLayer[] {
  const h = inv.hosts.get(host);
  // like ansible's implicit localhost: not in the inventory, yet group_vars/all and its host_vars apply
  if (h === undefined && !IMPLICIT_LOCALHOST_NAMES.includes(host)) return [];
  const groups = h === undefined ? [] : hostGroupOrder(inv, host);
  const out: VarLayer[] = [];
  const fileLayers = (layer: InventoryLayerName, owner: string, list: readonly { source: string; vars: Readonly<Record<string, unknown>> }[], prefix = ''): void => {
    for (const s of list) out.push({ layer, source: prefix + s.source, owner, vars: s.vars });
  };
  const folderLayers = (layer: InventoryLayerName, folders: readonly VarsFolders[], kind: 'group' | 'host', names: readonly string[]): void => {
    for (const vf of folders) {
      for (const name of names) fileLayers(layer, name, varsFilesFor(vf, kind, name), `${vf.dir}/`);
    }
  };
  const play = playbookVars === undefined ? [] : [playbookVars];
  fileLayers('all_inventory', 'all', inv.groups.get('all')?.varSources ?? []);
  for (const g of groups) fileLayers('groups_inventory', g, inv.groups.get(g)?.varSources ?? []);
  folderLayers('all_plugins_inventory', inv.varsFolders, 'group', ['all']);
  folderLayers('all_plugins_play', play, 'group', ['all']);
  folderLayers('groups_plugins_inventory', inv.varsFolders, 'group', groups);
  folderLayers('groups_plugins_play', play, 'group', groups);
  fileLayers('host_inventory', host, h?.varSources ?? []);
  folderLayers('host_plugins_inventory', inv.varsFolders, 'host', [host]);
  folderLayers('host_plugins_play', play, 'host', [host]);
  return out;
}

/** Folds layers like ansible's default hash_behaviour=replace: later top-level keys replace earlier. */
export function foldVarLayers(layers: readonly VarLayer[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const l of layers) Object.assign(out, l.vars);
  return out;
}
