import { fnmatchTranslate } from '../python/fnmatch.js';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { OptionError, TsplayError } from '../errors/index.js';
import type { Inventory } from './model.js';
import { parseAddress } from './ranges.js';

/**
 * Host patterns like ansible-core's InventoryManager: `all`, `*`, `a:b`, `a,b`, `a:&b`, `a:!b`,
 * fnmatch wildcards, `~regex`, subscripts `g[0]`, `g[-1]`, `g[1:3]` (inclusive!), `g[2:]`.
 * Unions come first, then intersections, then exclusions, whatever order they were written in.
 * The result follows group order (a group's own hosts, then its children's), deduplicated.
 */

const PATTERN_WITH_SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

/** split_host_pattern: commas always split; ':' splits unless the whole thing is one address. */
export function splitHostPattern(pattern: string | readonly string[]): string[] {
  if (typeof pattern !== 'string') return pattern.flatMap((p) => splitHostPattern(p));
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern) !== null) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** order_patterns: plain ones first (or `all` if none), then &intersections, then !exclusions. */
export function orderPatterns(patterns: readonly string[]): string[] {
  const regular = patterns.filter((p) => p !== '' && p[0] !== '!' && p[0] !== '&');
  const and = patterns.filter((p) => p[0] === '&');
  const not = patterns.filter((p) => p[0] === '!');
  return [...(regular.length === 0 ? ['all'] : regular), ...and, ...not];
}

/** Host names matching the pattern(s), like `ansible PATTERN --list-hosts` (before any limit). */
export function selectHosts(inv: Inventory, pattern: string | readonly string[]): string[] {
  return dedupe(evaluatePatterns(inv, splitHostPattern(pattern)));
}

/** --limit: keeps the hosts (in their order) that the limit selects; `@file` reads one pattern per line. */
export function applyLimit(inv: Inventory, hosts: readonly string[], limit: string, cwd = process.cwd()): string[] {
  const subset: string[] = [];
  for (const p of splitHostPattern(limit)) {
    if (p[0] !== '@') {
      subset.push(p);
      continue;
    }
    subset.push(...readLimitFile(p.slice(1), cwd));
  }
  const keep = new Set(evaluatePatterns(inv, subset));
  return hosts.filter((h) => keep.has(h));
}

function readLimitFile(path: string, cwd: string): string[] {
  const full = path.startsWith('/') ? path : `${cwd}/${path}`;
  if (!existsSync(full)) throw new OptionError(`Unable to find limit file ${path}`, { hint: 'a --limit starting with @ names a file of host patterns, one per line' });
  if (!statSync(full).isFile()) throw new OptionError(`Limit starting with "@" must be a file, not a directory: ${path}`);
  // like ansible: each line is one pattern as written (stripped, not split on commas)
  return readFileSync(full, 'utf8').split('\n').map((l) => l.trim());
}

function evaluatePatterns(inv: Inventory, patterns: readonly string[]): string[] {
  let hosts: string[] = [];
  for (const p of orderPatterns(patterns)) {
    if (inv.hosts.has(p)) {
      hosts.push(p);
      continue;
    }
    const that = matchOnePattern(inv, p);
    if (p[0] === '!') {
      const drop = new Set(that);
      hosts = hosts.filter((h) => !drop.has(h));
    } else if (p[0] === '&') {
      const keep = new Set(that);
      hosts = hosts.filter((h) => keep.has(h));
    } else {
      const have = new Set(hosts);
      hosts.push(...that.filter((h) => !have.has(h)));
    }
  }
  return hosts;
}

function matchOnePattern(inv: Inventory, pattern: string): string[] {
  const bare = pattern[0] === '&' || pattern[0] === '!' ? pattern.slice(1) : pattern;
  const [expr, subscript] = splitSubscript(bare);
  const hosts = enumerateMatches(inv, expr);
  return applySubscript(hosts, subscript, bare);
}

type Subscript = readonly [number, number | undefined] | undefined;

function splitSubscript(pattern: string): [string, Subscript] {
  if (pattern[0] === '~') return [pattern, undefined];
  const m = PATTERN_WITH_SUBSCRIPT.exec(pattern);
  if (m === null) return [pattern, undefined];
  if (m[2] !== undefined) return [m[1] as string, [Number(m[2]), undefined]];
  return [m[1] as string, [Number(m[3]), m[5] === '' ? -1 : Number(m[5])]];
}

/** Ansible's subscripts are inclusive: g[1:3] is the 2nd to 4th host; g[2:] runs to the end. */
function applySubscript(hosts: string[], sub: Subscript, pattern: string): string[] {
  if (hosts.length === 0 || sub === undefined) return hosts;
  const [start, end] = sub;
  // quirk kept from ansible: an end of 0 is falsy there, so g[2:0] means just g[2]
  if (end !== undefined && end !== 0) {
    return pySlice(hosts, start, end === -1 ? hosts.length : end + 1);
  }
  const idx = start < 0 ? hosts.length + start : start;
  if (idx < 0 || idx >= hosts.length) {
    throw new TsplayError('pattern', `No hosts matched the subscripted pattern '${pattern}'`, {
      hint: `the pattern matches ${hosts.length} host(s), indexed from 0 (or from -1 at the end)`,
    });
  }
  return [hosts[idx] as string];
}

function pySlice<T>(list: readonly T[], start: number, end: number): T[] {
  const norm = (i: number): number => (i < 0 ? Math.max(0, list.length + i) : Math.min(i, list.length));
  return list.slice(norm(start), norm(end));
}

function enumerateMatches(inv: Inventory, pattern: string): string[] {
  const re = compilePattern(pattern);
  const results: string[] = [];
  const groups = [...inv.groups.keys()].filter((g) => re.test(g));
  for (const g of groups) results.push(...groupHosts(inv, g));
  if (groups.length === 0 || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
    for (const h of inv.hosts.keys()) if (re.test(h)) results.push(h);
  }
  return results;
}

/** Group.get_hosts: the group's own hosts, then its descendants' (breadth first), deduplicated. */
export function groupHosts(inv: Inventory, group: string): string[] {
  const g = inv.groups.get(group);
  if (g === undefined) return [];
  const ordered = [group, ...g.children];
  const seen = new Set(ordered);
  let level = [...g.children];
  while (level.length > 0) {
    const next: string[] = [];
    for (const name of level) {
      for (const child of inv.groups.get(name)?.children ?? []) {
        if (seen.has(child)) continue;
        seen.add(child);
        ordered.push(child);
        next.push(child);
      }
    }
    level = next;
  }
  const hosts = dedupe(ordered.flatMap((name) => inv.groups.get(name)?.hosts ?? []));
  // like ansible's Group._get_hosts: `all` leaves out the implicit localhost a group_by put in a group
  return group === 'all' ? hosts.filter((h) => inv.hosts.has(h)) : hosts;
}

function compilePattern(pattern: string): RegExp {
  try {
    if (pattern[0] === '~') return new RegExp(`^(?:${pattern.slice(1)})`);
    return new RegExp(`^${fnmatchTranslate(pattern)}$`, 's');
  } catch {
    throw new TsplayError('pattern', `Invalid host list pattern: ${pattern}`, { hint: 'a pattern after ~ is a regular expression' });
  }
}

function dedupe(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** The `groups` magic variable: every group with its hosts in get_hosts order (like get_groups_dict). */
export function groupsMagicVar(inv: Inventory): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of inv.groups.keys()) out[g] = groupHosts(inv, g);
  return out;
}
