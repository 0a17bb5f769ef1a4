import { TsplayError } from '../errors/index.js';
import { InventoryDraft } from './draft.js';
import type { Inventory } from './model.js';

/**
 * Run-time changes (add_host, group_by) as pure functions returning a new Inventory.
 * Like ansible's add_dynamic_host: a new host joins `all` directly (so it comes first in
 * `all`'s host order), its vars are combined over existing ones, then the inventory is
 * reconciled (new groups hang under `all`, a host with no group lands in `ungrouped`).
 */
export function withAddedHost(inv: Inventory, name: string, groups: readonly string[], vars: Readonly<Record<string, unknown>>): Inventory {
  if (name === '') throw new TsplayError('inventory', 'Invalid empty host name provided', { hint: 'add_host needs name:' });
  const draft = InventoryDraft.fromInventory(inv);
  if (!draft.hosts.has(name)) draft.addHost(name, 'all', undefined);
  for (const [k, v] of Object.entries(vars)) draft.setHostVar(name, 'add_host', k, v);
  for (const g of groups) {
    draft.addGroup(g);
    draft.addHostToGroup(g, name);
  }
  draft.reconcile();
  return draft.freeze(inv.sources, inv.varsFolders);
}

/** Names ansible resolves to its implicit localhost when the inventory does not have them (vars/ may not import inventory/: engine/vars/implicit-localhost.ts keeps the same list). */
export const IMPLICIT_LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/**
 * Like group_by / add_dynamic_group: creates `group` (and `parents`) as needed and puts the hosts
 * in it. Like ansible's StrategyBase._add_group, the implicit localhost joins the group (a later
 * play's `hosts: GROUP` selects it) without becoming an inventory host.
 */
export function withGroup(inv: Inventory, group: string, hosts: readonly string[], parents: readonly string[] = []): Inventory {
  const draft = InventoryDraft.fromInventory(inv);
  draft.addGroup(group);
  for (const p of parents) {
    draft.addGroup(p);
    draft.addChild(p, group);
  }
  for (const h of hosts) {
    if (draft.hosts.has(h)) draft.addHostToGroup(group, h);
    else if (IMPLICIT_LOCALHOST_NAMES.includes(h)) draft.addImplicitHostToGroup(group, h);
    else throw new TsplayError('inventory', `${h} cannot be matched in inventory`);
  }
  draft.reconcile();
  return draft.freeze(inv.sources, inv.varsFolders);
}
