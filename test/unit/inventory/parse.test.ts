import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldVarLayers, inventoryGraph, inventoryList, inventoryVarLayers, loadInventory, toAnsibleJson } from '../../../engine/inventory/index.js';
import { fixture } from './oracle.js';

// expected/*.txt|json are the outputs of `ansible-inventory -i SRC --graph` / `--list` (ansible-core 2.14.18)
const CASES = [
  { name: 'ini-basic', sources: ['ini-basic/hosts.ini'] },
  { name: 'yaml-basic', sources: ['yaml-basic/hosts.yml'] },
  { name: 'folder', sources: ['folder'] },
  { name: 'multi', sources: ['ini-basic/hosts.ini', 'yaml-basic/hosts.yml'] },
] as const;

describe('inventory parsing matches ansible-inventory', () => {
  for (const c of CASES) {
    const load = () => loadInventory(c.sources.map((s) => fixture(s)));
    it(`${c.name}: --graph`, () => {
      const expected = readFileSync(fixture('expected', `${c.name}.graph.txt`), 'utf8').trimEnd();
      expect(inventoryGraph(load())).toBe(expected);
    });
    it(`${c.name}: --list (groups, hosts and resolved hostvars)`, () => {
      const inv = load();
      const listing = inventoryList(inv, (h) => foldVarLayers(inventoryVarLayers(inv, h)));
      const expected = readFileSync(fixture('expected', `${c.name}.list.json`), 'utf8').trimEnd();
      expect(toAnsibleJson(listing)).toBe(expected);
    });
  }
});

describe('INI details', () => {
  const inv = loadInventory([fixture('ini-basic/hosts.ini')]);
  const vars = (h: string) => inv.hosts.get(h)?.vars;

  it('host-line values go through literal_eval; words like yes/true and 007 stay strings', () => {
    expect(vars('lone1')).toEqual({
      a: 1, b: true, c: [1, 2], d: 'yes', e: 'x y', f: 16, g: 1.5, h: null, i: '007', j: 'true', k: { x: 1 },
    });
  });
  it(':vars values are literal-evaluated too, and a # is part of the value there', () => {
    expect(inv.groups.get('app')?.vars).toEqual({ v1: 5, v2: true, v3: 'hello # not a comment here', v4: 'quoted', v5: [1, 2], v6: 'yes' });
  });
  it('host:port shorthand sets ansible_port; a later ansible_host var coexists', () => {
    expect(vars('lone2')).toEqual({ ansible_port: 2201 });
    expect(vars('w-x.example.com')).toEqual({ ansible_port: 2200, ansible_host: '10.0.0.9' });
  });
  it('hosts keep definition order across groups', () => {
    expect([...inv.hosts.keys()].slice(0, 6)).toEqual(['lone1', 'lone2', 'web01', 'web02', 'web03', 'w-x.example.com']);
  });
  it('a :children entry may name a group defined further down', () => {
    expect(inv.groups.get('app')?.children).toEqual(['web', 'later']);
    expect(inv.groups.get('later')?.parents).toEqual(['app']);
  });
  it('host groups include ancestors and all; group depth counts from all', () => {
    expect([...(inv.hosts.get('web01')?.groups ?? [])].sort()).toEqual(['all', 'app', 'web']);
    expect(inv.groups.get('web')?.depth).toBe(2);
    expect(inv.groups.get('all')?.depth).toBe(0);
  });
  it('records provenance of inventory-file vars', () => {
    expect(inv.groups.get('app')?.varSources.map((s) => s.source)).toEqual([`${fixture('ini-basic/hosts.ini')} [app:vars]`]);
    expect(inv.hosts.get('lone1')?.varSources[0]?.source).toBe(`${fixture('ini-basic/hosts.ini')}:2`);
  });
  it('the model is frozen', () => {
    expect(Object.isFrozen(inv.hosts.get('lone1'))).toBe(true);
    expect(Object.isFrozen(inv.groups.get('app')?.vars)).toBe(true);
  });
});

describe('YAML details', () => {
  const warnings: string[] = [];
  const inv = loadInventory([fixture('yaml-basic/hosts.yml')], { onWarning: (m) => warnings.push(m) });
  it('null groups, null hosts and null sections are fine', () => {
    expect(inv.groups.get('empty_group')?.hosts).toEqual([]);
    expect(inv.groups.get('nulls')?.hosts).toEqual([]);
    expect(inv.hosts.get('solo')?.vars).toEqual({});
  });
  it('ranges and ports in host keys', () => {
    expect(inv.groups.get('kube_node')?.hosts).toEqual(['node01', 'node02', 'node03', 'node04', 'cp1']);
    expect(inv.hosts.get('p1')?.vars).toEqual({ ansible_port: 2222 });
    expect(inv.hosts.get('p2')?.vars).toEqual({ ansible_port: 2223 });
  });
  it('hosts directly under all are also ungrouped', () => {
    expect(inv.groups.get('all')?.hosts).toEqual(['bastion', 'solo']);
    expect(inv.groups.get('ungrouped')?.hosts).toEqual(['bastion', 'solo']);
  });
  it('no warnings for a clean file', () => {
    expect(warnings).toEqual([]);
  });
});

describe('inventory folders', () => {
  const inv = loadInventory([fixture('folder')]);
  it('skips *.ini, *.retry, *.orig, ~ backups and hidden files inside a folder (ansible INVENTORY_IGNORE_EXTS)', () => {
    expect([...inv.groups.keys()]).toEqual(['all', 'ungrouped', 'web', 'db', 'cache']);
    expect([...inv.hosts.keys()]).toEqual(['web1', 'web2', 'db1', 'web3', 'redis1']);
  });
  it('an explicit .ini file is read when named directly', () => {
    const direct = loadInventory([fixture('folder/03-skipped.ini')]);
    expect([...direct.hosts.keys()]).toEqual(['ini_host']);
  });
  it('a comma host list is a source', () => {
    const list = loadInventory(['h1,h2:2022,']);
    expect([...list.hosts.keys()]).toEqual(['h1', 'h2']);
    expect(list.hosts.get('h2')?.vars).toEqual({ ansible_port: 2022 });
    expect(list.groups.get('ungrouped')?.hosts).toEqual(['h1', 'h2']);
  });
});
