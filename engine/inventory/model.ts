import type { ParseError } from '../errors/index.js';

/**
 * The immutable inventory model. Built once by loadInventory (or derived by withAddedHost /
 * withGroup at run time); never mutated afterwards.
 */

/** Variables set by one inventory file on one host or group, kept apart for provenance. */
export interface VarsFromSource {
  /** e.g. "inventory/hosts.ini [web:vars]" or "inventory/hosts.yml all.children.web.vars" */
  readonly source: string;
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface InventoryHost {
  readonly name: string;
  /** Inventory-file host vars merged in definition order (ansible: host.vars). */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly varSources: readonly VarsFromSource[];
  /** Every group the host belongs to, directly or through children, including `all`. */
  readonly groups: readonly string[];
  /** The first inventory file that defined the host (ansible's inventory_file), if any. */
  readonly inventoryFile?: string;
}

export interface InventoryGroup {
  readonly name: string;
  /** Inventory-file group vars (ansible_group_priority is not a var: it sets `priority`). */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly varSources: readonly VarsFromSource[];
  /** Hosts listed directly in this group, in definition order. */
  readonly hosts: readonly string[];
  readonly children: readonly string[];
  readonly parents: readonly string[];
  /** Longest path from `all` (all = 0): ansible sorts a host's groups by this first. */
  readonly depth: number;
  /** ansible_group_priority (default 1). */
  readonly priority: number;
}

/** group_vars/ and host_vars/ found in one folder (beside an inventory source or a playbook). */
export interface VarsFolders {
  readonly dir: string;
  /**
   * Entry name in group_vars/ (e.g. "all.yml", "web", "db.json") -> the files it contributes,
   * or the parse error to raise when a group or host of that name asks for it.
   */
  readonly groupEntries: ReadonlyMap<string, readonly VarsFile[] | ParseError>;
  readonly hostEntries: ReadonlyMap<string, readonly VarsFile[] | ParseError>;
}

export interface VarsFile {
  /** Path relative to the folder's dir, e.g. "group_vars/all.yml" or "group_vars/web/10-net.yml". */
  readonly source: string;
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface Inventory {
  /** Hosts in definition order (first appearance across all sources). */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** Groups in definition order; `all` and `ungrouped` always exist and come first. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** The -i sources as given, in order. */
  readonly sources: readonly string[];
  /** group_vars/host_vars beside each source, in source order (a folder source: the folder itself). */
  readonly varsFolders: readonly VarsFolders[];
}
