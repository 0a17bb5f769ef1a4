import { OptionError } from '../errors/index.js';
import type { Inventory } from './model.js';
import { groupHosts } from './patterns.js';

/**
 * `ansible-inventory --graph` and `--list`, byte for byte: the graph repeats a group under
 * every parent and never lists `all`'s own hosts; the list omits empty groups and keys
 * `all` by its children only.
 */
export function inventoryGraph(inv: Inventory, start = 'all'): string {
  if (!inv.groups.has(start)) {
    throw new OptionError('Pattern must be valid group name when using --graph', { hint: `no group named ${start}` });
  }
  const lines: string[] = [];
  const walk = (name: string, depth: number): void => {
    const g = inv.groups.get(name);
    if (g === undefined) return;
    lines.push(graphLine(`@${name}:`, depth));
    for (const kid of g.children) walk(kid, depth + 1);
    if (name !== 'all') for (const h of g.hosts) lines.push(graphLine(h, depth + 1));
  };
  walk(start, 0);
  return lines.join('\n');
}

function graphLine(name: string, depth: number): string {
  return depth === 0 ? name : `${'  |'.repeat(depth)}--${name}`;
}

export interface InventoryListing {
  readonly _meta: { readonly hostvars: Record<string, Record<string, unknown>> };
  readonly [group: string]: unknown;
}

/** The `ansible-inventory --list` object; hostVars gives each host's resolved vars (empty ones are omitted). */
export function inventoryList(inv: Inventory, hostVars: (host: string) => Record<string, unknown>): InventoryListing {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const format = (name: string): void => {
    const g = inv.groups.get(name);
    if (g === undefined) return;
    const entry: Record<string, unknown> = {};
    if (name !== 'all' && g.hosts.length > 0) entry['hosts'] = [...g.hosts];
    if (g.children.length > 0) entry['children'] = [...g.children];
    if (Object.keys(entry).length > 0) out[name] = entry;
    for (const kid of g.children) {
      if (seen.has(kid)) continue;
      format(kid);
      seen.add(kid);
    }
  };
  format('all');
  const hostvars: Record<string, Record<string, unknown>> = {};
  for (const h of groupHosts(inv, 'all')) {
    const vars = hostVars(h);
    if (Object.keys(vars).length > 0) hostvars[h] = vars;
  }
  return { ...out, _meta: { hostvars } };
}

/** Python's json.dumps(sort_keys=True, indent=4, ensure_ascii=False), as ansible-inventory prints. */
export function toAnsibleJson(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = `${indent}    `;
    return `[\n${value.map((v) => inner + toAnsibleJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return '{}';
    const inner = `${indent}    `;
    const rec = value as Record<string, unknown>;
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${toAnsibleJson(rec[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
