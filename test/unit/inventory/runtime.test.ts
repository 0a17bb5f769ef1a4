import { describe, expect, it } from 'vitest';
import { groupsMagicVar, loadInventory, selectHosts, withAddedHost, withGroup } from '../../../engine/inventory/index.js';
import { fixture } from './oracle.js';

// Expected values: a playbook on runtime/hosts.ini running
//   add_host {name: added1, groups: [newg, web], foo: bar}; add_host {name: added2}; add_host {name: web1, extra: 1}
//   group_by {key: by_x, parents: [par1]}
// printed these `groups` with ansible-core 2.14.18 (group_by ran on localhost there, on web2 here).
describe('run-time inventory changes (add_host, group_by)', () => {
  const base = loadInventory([fixture('runtime/hosts.ini')]);
  let inv = withAddedHost(base, 'added1', ['newg', 'web'], { foo: 'bar' });
  inv = withAddedHost(inv, 'added2', [], {});
  inv = withAddedHost(inv, 'web1', [], { extra: 1 });
  inv = withGroup(inv, 'by_x', ['web2'], ['par1']);

  it('new hosts join all directly, so they come first in all; hosts without groups are ungrouped', () => {
    expect(groupsMagicVar(inv)).toEqual({
      all: ['added1', 'added2', 'web1', 'web2', 'db1'],
      ungrouped: ['added2'],
      web: ['web1', 'web2', 'added1'],
      db: ['db1'],
      newg: ['added1'],
      by_x: ['web2'],
      par1: ['web2'],
    });
    expect(selectHosts(inv, 'all')).toEqual(['added1', 'added2', 'web1', 'web2', 'db1']);
  });

  it('add_host on an existing host merges its vars', () => {
    expect(inv.hosts.get('web1')?.vars).toEqual({ a: 1, extra: 1 });
    expect(inv.hosts.get('added1')?.vars).toEqual({ foo: 'bar' });
  });

  it('group_by parents become ancestors of the new group', () => {
    expect(inv.groups.get('by_x')?.parents).toEqual(['par1']);
    expect([...(inv.hosts.get('web2')?.groups ?? [])].sort()).toEqual(['all', 'by_x', 'par1', 'web']);
    expect(inv.groups.get('by_x')?.depth).toBe(2);
  });

  it('never changes the inventory it was given', () => {
    expect([...base.hosts.keys()]).toEqual(['web1', 'web2', 'db1']);
    expect(base.hosts.get('web1')?.vars).toEqual({ a: 1 });
    expect(base.groups.has('by_x')).toBe(false);
    expect(groupsMagicVar(base)['all']).toEqual(['web1', 'web2', 'db1']);
  });

  it('group_by on an unknown host is an error', () => {
    expect(() => withGroup(base, 'g', ['ghost'])).toThrow('ghost cannot be matched in inventory');
  });
});
