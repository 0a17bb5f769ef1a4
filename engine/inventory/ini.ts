import { ParseError } from '../errors/index.js';
import type { InventoryDraft } from './draft.js';
import { pyLiteralOrString } from '../python/literal-eval.js';
import { expandHostPattern, RangeError_ } from './ranges.js';
import { ShlexError, shlexSplit } from '../python/shlex.js';

/**
 * ansible-core's INI inventory plugin (plugins/inventory/ini.py), state machine and all:
 * sections [g], [g:children], [g:vars]; hosts before any section are `ungrouped`;
 * a :children entry may name a group defined further down (a pending declaration).
 */
const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUPNAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

type State = 'hosts' | 'children' | 'vars';

interface Pending {
  readonly line: number;
  readonly state: 'children' | 'vars';
  readonly parents: string[];
}

interface IniContext {
  readonly file: string;
  readonly draft: InventoryDraft;
  readonly pending: Map<string, Pending>;
  lineno: number;
  col: number;
  readonly warn: (message: string) => void;
}

export function parseIniInventory(text: string, file: string, draft: InventoryDraft, warn: (message: string) => void = () => undefined): void {
  const ctx: IniContext = { file, draft, pending: new Map(), lineno: 0, col: 1, warn };
  let group = 'ungrouped';
  let state: State = 'hosts';
  for (const raw of text.split(/\r?\n/)) {
    ctx.lineno++;
    const line = raw.trim();
    ctx.col = raw.length - raw.trimStart().length + 1;
    if (line === '' || line[0] === ';' || line[0] === '#') continue;
    const m = SECTION.exec(line);
    if (m !== null) {
      [group, state] = enterSection(ctx, m[1] as string, m[2]);
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(ctx, `Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters`,
        'a section header is [group], [group:children] or [group:vars]');
    }
    if (state === 'hosts') hostLine(ctx, line, group);
    else if (state === 'vars') varLine(ctx, line, group);
    else childLine(ctx, line, group);
  }
  for (const [name, decl] of ctx.pending) {
    ctx.lineno = decl.line;
    ctx.col = 1;
    if (decl.state === 'vars') {
      fail(ctx, `Section [${name}:vars] not valid for undefined group: ${name}`, `define the group with a [${name}] section`);
    }
    fail(ctx, `Section [${decl.parents[decl.parents.length - 1]}:children] includes undefined group: ${name}`,
      `define the group with a [${name}] or [${name}:children] section`);
  }
}

function enterSection(ctx: IniContext, group: string, tag: string | undefined): [string, State] {
  const state = tag ?? 'hosts';
  if (state !== 'hosts' && state !== 'children' && state !== 'vars') {
    fail(ctx, `Section [${group}:${state}] has unknown type: ${state}`, 'the section types are :children and :vars');
  }
  const { draft, pending } = ctx;
  if (!draft.groups.has(group)) {
    if (state === 'vars' && !pending.has(group)) pending.set(group, { line: ctx.lineno, state, parents: [] });
    draft.addGroup(group);
  }
  const decl = pending.get(group);
  if (decl !== undefined && state !== 'vars') {
    if (decl.state === 'children') addPendingChildren(ctx, group);
    else pending.delete(group);
  }
  return [group, state];
}

function addPendingChildren(ctx: IniContext, group: string): void {
  for (const parent of ctx.pending.get(group)?.parents ?? []) {
    addChild(ctx, parent, group);
    if (ctx.pending.get(parent)?.state === 'children') addPendingChildren(ctx, parent);
  }
  ctx.pending.delete(group);
}

function hostLine(ctx: IniContext, line: string, group: string): void {
  let tokens: string[];
  try {
    tokens = shlexSplit(line, { comments: true });
  } catch (e) {
    if (!(e instanceof ShlexError)) throw e;
    return fail(ctx, `Error parsing host definition '${line}': ${e.message}`, 'close the quote in this host line');
  }
  const [pattern, ...assignments] = tokens as [string, ...string[]];
  const { hostnames, port } = expandHost(ctx, pattern);
  const vars: Array<[string, unknown]> = [];
  for (const t of assignments) {
    const eq = t.indexOf('=');
    if (eq < 0) fail(ctx, `Expected key=value host variable assignment, got: ${t}`, 'host variables are written key=value after the host name');
    vars.push([t.slice(0, eq), pyLiteralOrString(t.slice(eq + 1))]);
  }
  const source = `${ctx.file}:${ctx.lineno}`;
  for (const host of hostnames) {
    ctx.draft.addHost(host, group, port, ctx.file);
    for (const [k, v] of vars) ctx.draft.setHostVar(host, source, k, v);
  }
}

function expandHost(ctx: IniContext, pattern: string): { hostnames: string[]; port: number | undefined } {
  let r: { hostnames: string[]; port: number | undefined };
  try {
    r = expandHostPattern(pattern);
  } catch (e) {
    if (!(e instanceof RangeError_)) throw e;
    return fail(ctx, `Invalid host range '${pattern}': ${e.message}`, 'a range looks like node[01:10], node[a:f] or node[1:10:2]');
  }
  // ansible silently yields no host for node[5:1]; a typo like that deserves a word
  if (r.hostnames.length === 0) ctx.warn(`${ctx.file}:${ctx.lineno}: the host range '${pattern}' is empty (its start is after its end), so it adds no host`);
  if (pattern.trim().endsWith(':') && r.port === undefined) {
    fail(ctx, `Invalid host pattern '${pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`, 'write host:port with a number');
  }
  if (r.hostnames.some((h) => h.trim() === '---')) {
    fail(ctx, `Invalid host pattern '${pattern}' supplied, '---' is normally a sign this is a YAML file.`, 'give YAML inventories a .yml or .yaml extension');
  }
  return r;
}

function varLine(ctx: IniContext, line: string, group: string): void {
  const eq = line.indexOf('=');
  if (eq < 0) fail(ctx, `Expected key=value, got: ${line}`, `lines in a [${group}:vars] section are key=value`);
  // like ansible, :vars values are literal-evaluated too (5 -> int, True -> bool), whole rest of line
  ctx.draft.setGroupVar(group, `${ctx.file} [${group}:vars]`, line.slice(0, eq).trim(), pyLiteralOrString(line.slice(eq + 1).trim()));
}

function childLine(ctx: IniContext, line: string, group: string): void {
  const m = GROUPNAME.exec(line);
  if (m === null) fail(ctx, `Expected group name, got: ${line}`, `lines in a [${group}:children] section are group names`);
  const child = (m as RegExpExecArray)[1] as string;
  if (ctx.draft.groups.has(child)) {
    addChild(ctx, group, child);
    return;
  }
  const decl = ctx.pending.get(child);
  if (decl === undefined) ctx.pending.set(child, { line: ctx.lineno, state: 'children', parents: [group] });
  else decl.parents.push(group);
}

function addChild(ctx: IniContext, parent: string, child: string): void {
  try {
    ctx.draft.addChild(parent, child);
  } catch (e) {
    if (!(e instanceof ParseError) || e.where !== undefined) throw e;
    fail(ctx, e.message, 'a group cannot be its own ancestor: check the :children sections');
  }
}

function fail(ctx: IniContext, message: string, hint: string): never {
  throw new ParseError(message, { where: { file: ctx.file, line: ctx.lineno, col: ctx.col }, hint });
}
