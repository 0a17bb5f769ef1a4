import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  foldVarLayers, hostGroupOrder, inventoryVarLayers, loadInventory, loadVarsFolders,
} from '../../../engine/inventory/index.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';
import { fixture, HAVE_ANSIBLE } from './oracle.js';

// layering/: layer number i sets k_i..k_11 = "L<i>", so with the right order k_j ends as "L<j>".
//  L0 [all:vars]  L1 [pg:vars]  L2 [cg:vars] (cg is pg's child)  L3 inventory group_vars/all.yml
//  L4 playbook group_vars/all.yml  L5 inventory group_vars/pg.yml  L6 inventory group_vars/cg.yml
//  L7 playbook group_vars/pg.yml  L8 playbook group_vars/cg.yml  L9 host line vars
//  L10 inventory host_vars/h1.yml  L11 playbook host_vars/h1.yml
// ansible-playbook 2.14.18 printed exactly these values for h1 and h2 (see the oracle test).
const H1 = ['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L9', 'L10', 'L11'];
const H2 = ['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L8', 'L8', 'L8'];

const inv = loadInventory([fixture('layering/inventory')]);
const play = loadVarsFolders(fixture('layering/playbook'));
const resolved = (host: string): unknown[] => {
  const vars = foldVarLayers(inventoryVarLayers(inv, host, play));
  return H1.map((_, j) => vars[`k${j}`]);
};

describe('inventory variable layers', () => {
  it('fold in ansible order: file group vars < group_vars/all (inv, play) < group_vars/<g> (inv, play) < host vars', () => {
    expect(resolved('h1')).toEqual(H1);
    expect(resolved('h2')).toEqual(H2);
  });

  it('name each layer and its source, lowest first', () => {
    const layers = inventoryVarLayers(inv, 'h1', play).map((l) => [l.layer, l.owner, l.source.replace(fixture('layering') + '/', '')]);
    const hosts = `${fixture('layering/inventory/hosts')}`.replace(fixture('layering') + '/', '');
    expect(layers).toEqual([
      ['all_inventory', 'all', `${hosts} [all:vars]`],
      ['groups_inventory', 'pg', `${hosts} [pg:vars]`],
      ['groups_inventory', 'cg', `${hosts} [cg:vars]`],
      ['all_plugins_inventory', 'all', 'inventory/group_vars/all.yml'],
      ['all_plugins_play', 'all', 'playbook/group_vars/all.yml'],
      ['groups_plugins_inventory', 'pg', 'inventory/group_vars/pg.yml'],
      ['groups_plugins_inventory', 'cg', 'inventory/group_vars/cg.yml'],
      ['groups_plugins_play', 'pg', 'playbook/group_vars/pg.yml'],
      ['groups_plugins_play', 'cg', 'playbook/group_vars/cg.yml'],
      ['host_inventory', 'h1', `${hosts}:32`],
      ['host_plugins_inventory', 'h1', 'inventory/host_vars/h1.yml'],
      ['host_plugins_play', 'h1', 'playbook/host_vars/h1.yml'],
    ]);
  });

  it('without playbook folders only the inventory layers remain', () => {
    const vars = foldVarLayers(inventoryVarLayers(inv, 'h1'));
    expect([vars['k4'], vars['k7'], vars['k8'], vars['k11']]).toEqual(['L3', 'L6', 'L6', 'L10']);
  });

  it('an unknown host has no layers', () => {
    expect(inventoryVarLayers(inv, 'nope')).toEqual([]);
  });
});

describe('group order: depth, then ansible_group_priority, then name', () => {
  // values from `ansible-inventory -i priority/hosts --host h1` (ansible-core 2.14.18)
  const pinv = loadInventory([fixture('priority/hosts')]);
  it('orders the host groups', () => {
    expect(hostGroupOrder(pinv, 'h1')).toEqual(['b', 'c', 'a', 'p', 'q']);
  });
  it('resolves like ansible, ignoring ansible_group_priority set in group_vars files', () => {
    expect(foldVarLayers(inventoryVarLayers(pinv, 'h1'))).toEqual({
      ansible_group_priority: 99, deep: 'from_q', w: 'from_a', x: 'from_a', y: 'from_c', z: 'from_a',
    });
  });
  it('keeps ansible_group_priority out of inventory-file group vars', () => {
    expect(pinv.groups.get('a')?.vars).toEqual({ x: 'from_a', z: 'from_a' });
    expect(pinv.groups.get('a')?.priority).toBe(10);
  });
});

describe.runIf(HAVE_ANSIBLE)('layer order against ansible-playbook (oracle)', () => {
  it('ansible-playbook prints the same k0..k11 for h1 and h2', () => {
    const out = execFileSync('ansible-playbook', ['-i', fixture('layering/inventory'), fixture('layering/playbook/show.yml')], {
      cwd: '/tmp', encoding: 'utf8', env: isolatedEnv({ ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1' }),
    });
    const hosts = (JSON.parse(out) as { plays: { tasks: { hosts: Record<string, { msg: string }> }[] }[] }).plays[0]?.tasks[0]?.hosts;
    expect(JSON.parse(String(hosts?.["h1"]?.msg))).toEqual(resolved("h1"));
    expect(JSON.parse(String(hosts?.["h2"]?.msg))).toEqual(resolved("h2"));
  });
});
