/**
 * Inventory benchmark: 5,000 hosts in 50 groups (10 parents with 4 children each), group_vars
 * for every group and all, host_vars for every 10th host. Loads the inventory, then resolves
 * every host's inventory variables by folding inventoryVarLayers (hash_behaviour=replace).
 * Run: npm run bench:inventory
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { inventoryVarLayers, loadInventory } from '../engine/inventory/index.js';
import { Templar } from '../engine/template/index.js';
import { LazyVars } from '../engine/vars/var-source.js';

const HOSTS = 5000;
const PARENTS = 10;
const CHILDREN_PER_PARENT = 4;
const GROUPS = PARENTS + PARENTS * CHILDREN_PER_PARENT;

function groupName(i: number): string {
  return `g${String(i).padStart(2, '0')}`;
}

function hostName(i: number): string {
  return `host${String(i).padStart(4, '0')}`;
}

/** Writes the inventory folder and returns its path. */
function writeInventory(root: string): string {
  const dir = join(root, 'inventory');
  mkdirSync(join(dir, 'group_vars'), { recursive: true });
  mkdirSync(join(dir, 'host_vars'), { recursive: true });
  const leaves = GROUPS - PARENTS;
  const lines: string[] = [];
  for (let leaf = 0; leaf < leaves; leaf++) {
    lines.push(`[${groupName(PARENTS + leaf)}]`);
    for (let h = leaf; h < HOSTS; h += leaves) {
      lines.push(h % 7 === 0 ? `${hostName(h)} ansible_host=10.${h >> 8}.${h & 255}.1 rack=r${h % 20}` : hostName(h));
    }
    lines.push('');
  }
  for (let p = 0; p < PARENTS; p++) {
    lines.push(`[${groupName(p)}:children]`);
    for (let c = 0; c < CHILDREN_PER_PARENT; c++) lines.push(groupName(PARENTS + p * CHILDREN_PER_PARENT + c));
    lines.push('', `[${groupName(p)}:vars]`, `parent_var=${p}`, '');
  }
  writeFileSync(join(dir, 'hosts'), lines.join('\n'));
  writeFileSync(join(dir, 'group_vars', 'all.yml'), 'ntp_servers: [a, b]\ncluster_name: bench\nlevel: all\ncluster_fqdn: "{{ cluster_name }}.{{ level }}.local"\n');
  for (let g = 0; g < GROUPS; g++) {
    writeFileSync(join(dir, 'group_vars', `${groupName(g)}.yml`), `level: ${groupName(g)}\n${groupName(g)}_setting:\n  size: ${g}\n  enabled: true\n`);
  }
  for (let h = 0; h < HOSTS; h += 10) {
    writeFileSync(join(dir, 'host_vars', `${hostName(h)}.yml`), `level: ${hostName(h)}\nnode_index: ${h}\n`);
  }
  return dir;
}

function main(): void {
  const root = mkdtempSync(join(tmpdir(), 'tsplay-inv-bench-'));
  try {
    const dir = writeInventory(root);
    const t0 = performance.now();
    const inv = loadInventory([dir]);
    const t1 = performance.now();
    let keys = 0;
    // Through the engine's own resolver: layered lookup and lazy Jinja2 templating of every value.
    const templar = new Templar();
    for (const host of inv.hosts.keys()) {
      const layers = inventoryVarLayers(inv, host).map((l) => ({ layer: 'inventory' as const, source: l.source, vars: l.vars }));
      const resolved = new LazyVars(layers, templar).toObject();
      if (!String(resolved.cluster_fqdn).startsWith('bench.')) throw new Error(`bad templated value for ${host}: ${String(resolved.cluster_fqdn)}`);
      keys += Object.keys(resolved).length;
    }
    const t2 = performance.now();
    if (inv.hosts.size !== HOSTS || inv.groups.size - 2 !== GROUPS || keys === 0) {
      throw new Error(`bench inventory is wrong: hosts=${inv.hosts.size} groups=${inv.groups.size - 2}`);
    }
    const ms = (x: number): string => x.toFixed(1);
    console.log(`inventory bench: hosts=${inv.hosts.size} groups=${inv.groups.size - 2} load_ms=${ms(t1 - t0)} resolve_ms=${ms(t2 - t1)} total_ms=${ms(t2 - t0)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main();
