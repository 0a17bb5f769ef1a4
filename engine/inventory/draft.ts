import { ParseError } from '../errors/index.js';
import type { Inventory, InventoryGroup, InventoryHost, VarsFolders, VarsFromSource } from './model.js';

/**
 * A mutable inventory under construction. It lives only inside one loadInventory /
 * withAddedHost / withGroup call and is frozen into an immutable Inventory at the end.
 * Mirrors ansible's InventoryData: `all` and `ungrouped` exist from the start.
 */
interface DraftGroup {
  name: string;
  vars: Record<string, unknown>;
  varSources: VarsFromSource[];
  hosts: string[];
  children: string[];
  parents: string[];
  priority: number;
}

interface DraftHost {
  name: string;
  vars: Record<string, unknown>;
  varSources: VarsFromSource[];
  directGroups: string[];
  inventoryFile?: string;
}

export class InventoryDraft {
  readonly groups = new Map<string, DraftGroup>();
  readonly hosts = new Map<string, DraftHost>();

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  static fromInventory(inv: Inventory): InventoryDraft {
    const d = new InventoryDraft();
    d.groups.clear();
    for (const g of inv.groups.values()) {
      d.groups.set(g.name, {
        name: g.name, vars: { ...g.vars }, varSources: [...g.varSources], hosts: [...g.hosts],
        children: [...g.children], parents: [...g.parents], priority: g.priority,
      });
    }
    const members = new Map([...inv.groups.values()].map((g) => [g.name, new Set(g.hosts)]));
    for (const h of inv.hosts.values()) {
      const directGroups = h.groups.filter((g) => members.get(g)?.has(h.name));
      d.hosts.set(h.name, {
        name: h.name, vars: { ...h.vars }, varSources: [...h.varSources], directGroups,
        ...(h.inventoryFile === undefined ? {} : { inventoryFile: h.inventoryFile }),
      });
    }
    return d;
  }

  addGroup(name: string): void {
    if (this.groups.has(name)) return;
    this.groups.set(name, { name, vars: {}, varSources: [], hosts: [], children: [], parents: [], priority: 1 });
  }

  /** Adds the host if new (first definition wins inventory_file) and puts it in `group`. */
  addHost(name: string, group: string | undefined, port: number | undefined, file?: string): void {
    if (!this.hosts.has(name)) {
      const h: DraftHost = { name, vars: {}, varSources: [], directGroups: [], ...(file === undefined ? {} : { inventoryFile: file }) };
      this.hosts.set(name, h);
      // like ansible's Host(name, port): a host:port shorthand counts only where the host first appears
      if (port !== undefined) this.setHostVar(name, file ?? '<inventory>', 'ansible_port', port);
    }
    if (group !== undefined) this.addHostToGroup(group, name);
  }

  addHostToGroup(group: string, host: string): void {
    const g = this.mustGroup(group);
    const h = this.hosts.get(host);
    if (h === undefined || g.hosts.includes(host)) return;
    g.hosts.push(host);
    h.directGroups.push(group);
  }

  /** The implicit localhost in a group's host list only (ansible's inventory.localhost is no inventory host). */
  addImplicitHostToGroup(group: string, host: string): void {
    const g = this.mustGroup(group);
    if (!g.hosts.includes(host)) g.hosts.push(host);
  }

  removeHostFromGroup(group: string, host: string): void {
    const g = this.mustGroup(group);
    g.hosts = g.hosts.filter((x) => x !== host);
    const h = this.hosts.get(host);
    if (h !== undefined) h.directGroups = h.directGroups.filter((x) => x !== group);
  }

  /** Like ansible's Group.add_child_group: refuses loops ("recursive dependency loop"). */
  addChild(parent: string, child: string): void {
    const p = this.mustGroup(parent);
    const c = this.mustGroup(child);
    if (parent === child) throw new ParseError(`can't add group ${child} to itself`);
    if (p.children.includes(child)) return;
    if (this.ancestors(parent).has(child)) {
      throw new ParseError(`Adding group '${child}' as child to '${parent}' creates a recursive dependency loop.`);
    }
    p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
  }

  setGroupVar(group: string, source: string, key: string, value: unknown): void {
    const g = this.mustGroup(group);
    if (key === 'ansible_group_priority') {
      // like ansible: a priority, not a variable (and only honoured from inventory files)
      const n = Number(value);
      if (Number.isInteger(n)) g.priority = n;
      return;
    }
    g.vars[key] = value;
    recordSource(g.varSources, source, key, value);
  }

  setHostVar(host: string, source: string, key: string, value: unknown): void {
    const h = this.hosts.get(host);
    if (h === undefined) throw new Error(`internal: no host ${host}`);
    h.vars[key] = value;
    recordSource(h.varSources, source, key, value);
  }

  ancestors(group: string): Set<string> {
    const seen = new Set<string>();
    const stack = [...(this.groups.get(group)?.parents ?? [])];
    while (stack.length > 0) {
      const g = stack.pop() as string;
      if (seen.has(g)) continue;
      seen.add(g);
      stack.push(...(this.groups.get(g)?.parents ?? []));
    }
    return seen;
  }

  /** ansible's reconcile_inventory: orphan groups go under all; hosts without groups go to ungrouped. */
  reconcile(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    }
    for (const h of this.hosts.values()) {
      const groups = this.hostGroups(h);
      if (h.directGroups.includes('ungrouped')) {
        if ([...groups].some((g) => g !== 'all' && g !== 'ungrouped')) this.removeHostFromGroup('ungrouped', h.name);
      } else if ([...groups].every((g) => g === 'all')) {
        this.addHostToGroup('ungrouped', h.name);
      }
    }
  }

  freeze(sources: readonly string[], varsFolders: readonly VarsFolders[]): Inventory {
    const depths = new Map<string, number>();
    const groups = new Map<string, InventoryGroup>();
    for (const g of this.groups.values()) {
      groups.set(g.name, Object.freeze({
        name: g.name, vars: Object.freeze({ ...g.vars }), varSources: Object.freeze([...g.varSources]),
        hosts: Object.freeze([...g.hosts]), children: Object.freeze([...g.children]),
        parents: Object.freeze([...g.parents]), depth: this.depth(g.name, depths), priority: g.priority,
      }));
    }
    const hosts = new Map<string, InventoryHost>();
    for (const h of this.hosts.values()) {
      hosts.set(h.name, Object.freeze({
        name: h.name, vars: Object.freeze({ ...h.vars }), varSources: Object.freeze([...h.varSources]),
        groups: Object.freeze([...this.hostGroups(h)]),
        ...(h.inventoryFile === undefined ? {} : { inventoryFile: h.inventoryFile }),
      }));
    }
    return Object.freeze({ hosts, groups, sources: Object.freeze([...sources]), varsFolders: Object.freeze([...varsFolders]) });
  }

  private hostGroups(h: DraftHost): Set<string> {
    // like Host.add_group: ancestors first, then the group itself
    const out = new Set<string>();
    for (const g of h.directGroups) {
      for (const a of this.ancestors(g)) out.add(a);
      out.add(g);
    }
    return out;
  }

  private depth(name: string, memo: Map<string, number>): number {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const parents = this.groups.get(name)?.parents ?? [];
    const d = parents.length === 0 ? 0 : Math.max(...parents.map((p) => this.depth(p, memo) + 1));
    memo.set(name, d);
    return d;
  }

  private mustGroup(name: string): DraftGroup {
    const g = this.groups.get(name);
    if (g === undefined) throw new ParseError(`Could not find group ${name} in inventory`);
    return g;
  }
}

function recordSource(list: VarsFromSource[], source: string, key: string, value: unknown): void {
  const last = list[list.length - 1];
  if (last !== undefined && last.source === source) {
    // replace, never mutate: frozen inventories may share this entry
    list[list.length - 1] = { source, vars: { ...last.vars, [key]: value } };
  } else {
    list.push({ source, vars: { [key]: value } });
  }
}
