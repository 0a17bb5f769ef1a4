import { ParseError } from '../errors/index.js';
import type { LoadedYaml } from '../source/yaml-file.js';
import type { SourceLoc } from '../types/source.js';
import type { InventoryDraft } from './draft.js';
import { expandHostPattern, RangeError_ } from './ranges.js';

/**
 * ansible-core's YAML inventory plugin (plugins/inventory/yaml.py): top-level keys are groups,
 * each with optional vars / children / hosts (processed in the order written); null entries
 * are allowed everywhere; host keys may carry ranges and :port.
 */
interface YamlContext {
  readonly doc: LoadedYaml;
  readonly draft: InventoryDraft;
  readonly warn: (msg: string) => void;
}

type Dict = Record<string, unknown>;

/** Throws a ParseError unless the document is a YAML inventory. */
export function parseYamlInventory(doc: LoadedYaml, draft: InventoryDraft, warn: (msg: string) => void): void {
  const data = doc.value;
  const top: SourceLoc = { file: doc.file, line: 1, col: 1 };
  if (data === null || data === undefined || data === '') {
    throw new ParseError('Parsed empty YAML file', { where: top, hint: 'an inventory needs at least `all:`' });
  }
  if (!isDict(data)) {
    throw new ParseError(`YAML inventory has invalid structure, it should be a dictionary, got: ${typeName(data)}`, {
      where: top, hint: 'a YAML inventory is a mapping of group names (usually just `all:`)',
    });
  }
  if (data['plugin']) {
    throw new ParseError('Plugin configuration YAML file, not YAML inventory', { where: top, hint: 'inventory plugins are not supported by tsplay' });
  }
  const ctx: YamlContext = { doc, draft, warn };
  for (const [name, value] of Object.entries(data)) parseGroup(ctx, name, value, [name]);
}

function parseGroup(ctx: YamlContext, group: string, data: unknown, path: readonly string[]): string {
  if (data !== null && !isDict(data)) {
    ctx.warn(`Skipping '${group}' as this is not a valid group definition`);
    return group;
  }
  ctx.draft.addGroup(group);
  if (data === null) return group;
  let dict: Dict = data;
  for (const section of ['vars', 'children', 'hosts']) {
    const v = dict[section];
    if (typeof v === 'string') dict = { ...dict, [section]: { [v]: null } };
    else if (v !== undefined && v !== null && !isDict(v)) {
      fail(ctx, dict, section, `Invalid "${section}" entry for "${group}" group, requires a dictionary, found "${typeName(v)}" instead.`,
        `write ${section}: as a mapping (name: ...), not a list`);
    }
  }
  for (const [key, value] of Object.entries(dict)) {
    if (value === null || value === undefined) continue;
    if (!isDict(value)) {
      ctx.warn(`Skipping key (${key}) in group (${group}) as it is not a mapping, it is a ${typeName(value)}`);
      continue;
    }
    if (key === 'vars') groupVars(ctx, group, value, path);
    else if (key === 'children') children(ctx, group, value, path);
    else if (key === 'hosts') hosts(ctx, group, value, path);
    else ctx.warn(`Skipping unexpected key (${key}) in group (${group}), only "vars", "children" and "hosts" are valid`);
  }
  return group;
}

function groupVars(ctx: YamlContext, group: string, vars: Dict, path: readonly string[]): void {
  const source = `${ctx.doc.file} ${[...path, 'vars'].join('.')}`;
  for (const [k, v] of Object.entries(vars)) ctx.draft.setGroupVar(group, source, k, v);
}

function children(ctx: YamlContext, group: string, kids: Dict, path: readonly string[]): void {
  for (const [child, data] of Object.entries(kids)) {
    parseGroup(ctx, child, data, [...path, 'children', child]);
    try {
      ctx.draft.addChild(group, child);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      fail(ctx, kids, child, e.message, 'a group cannot be its own ancestor');
    }
  }
}

function hosts(ctx: YamlContext, group: string, entries: Dict, path: readonly string[]): void {
  for (const [pattern, vars] of Object.entries(entries)) {
    let expanded: { hostnames: string[]; port: number | undefined };
    try {
      expanded = expandHostPattern(pattern);
    } catch (e) {
      if (!(e instanceof RangeError_)) throw e;
      return fail(ctx, entries, pattern, `Invalid host range '${pattern}': ${e.message}`, 'a range looks like node[01:10], node[a:f] or node[1:10:2]');
    }
    if (vars !== null && vars !== undefined && !isDict(vars)) {
      fail(ctx, entries, pattern, `Invalid data from file, expected dictionary and got: ${JSON.stringify(vars)}`,
        `host variables go in a mapping under the host (${pattern}: {ansible_host: ...})`);
    }
    const source = `${ctx.doc.file} ${[...path, 'hosts', pattern].join('.')}`;
    for (const host of expanded.hostnames) {
      ctx.draft.addHost(host, group, expanded.port, ctx.doc.file);
      for (const [k, v] of Object.entries((vars ?? {}) as Dict)) ctx.draft.setHostVar(host, source, k, v);
    }
  }
}

function fail(ctx: YamlContext, owner: object, key: string, message: string, hint: string): never {
  const origin = ctx.doc.origin(owner);
  const where = origin?.keys.get(key) ?? origin?.loc ?? { file: ctx.doc.file, line: 1, col: 1 };
  throw new ParseError(message, { where, hint });
}

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Python type names, as ansible's messages print them. */
function typeName(v: unknown): string {
  if (Array.isArray(v)) return "<class 'list'>";
  if (typeof v === 'string') return "<class 'str'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  return "<class 'dict'>";
}
