import { TemplateError, TsplayError } from '../errors/index.js';
import { njRuntime } from './nunjucks-internals.js';
import * as ops from './python/ops.js';
import { pyStr } from './python/repr.js';
import { pyMethod } from './python/methods.js';
import {
  Undefined, isUndefined, tuple, isMapping, mappingGet, mappingKeys, typeName, num, PyFloat,
} from './python/values.js';

/* The runtime object handed to compiled templates: nunjucks' own, with Jinja2/Ansible rules
 * for name lookup, attribute access, output, calls, loops, filters and tests. */

export type FilterFn = (value: unknown, ...args: unknown[]) => unknown;
export type TestFn = (value: unknown, ...args: unknown[]) => boolean;

/** Where a render looks up names that are not template locals. */
export interface RenderScope {
  lookup(name: string): unknown;
}

export interface RenderContextLike {
  readonly ctx: Record<string, unknown>;
  readonly scope: RenderScope;
}

/** Filters that must see an undefined value instead of failing on it. */
// extract: like ansible's, container[item] on an undefined container stays undefined (then | default)
const UNDEFINED_OK_FILTERS = new Set(['default', 'd', 'mandatory', 'ternary', 'extract']);
/** Tests that inspect a value's kind: an undefined value just answers false. */
const UNDEFINED_OK_TESTS = new Set([
  'defined', 'undefined', 'none', 'string', 'number', 'integer', 'float', 'mapping', 'iterable', 'sequence', 'boolean', 'sameas', 'callable',
]);

function missingAttr(obj: unknown, key: unknown): Undefined {
  const k = String(key);
  if (obj === null || obj === undefined) return new Undefined(k, `'None' has no attribute '${k}'`);
  return new Undefined(k, `'${typeName(obj)} object' has no attribute '${k}'`);
}

function indexLookup(obj: string | unknown[], key: number): unknown {
  const i = key < 0 ? obj.length + key : key;
  if (i >= 0 && i < obj.length) return obj[i];
  return new Undefined(String(key), `${typeName(obj)} object has no element ${key}`);
}

/** Jinja's getattr/getitem: item first, Python methods next, then an Undefined with ansible's message. */
export function memberLookup(obj: unknown, key: unknown): unknown {
  if (isUndefined(obj)) return obj; // like AnsibleUndefined: a.b.c on undefined a stays undefined
  if (isUndefined(key)) return key.fail();
  const k = key instanceof PyFloat ? key.value : key;
  if (typeof k === 'number' && (Array.isArray(obj) || typeof obj === 'string')) return indexLookup(obj, k);
  if (obj === null || obj === undefined) return missingAttr(obj, k);
  if (isMapping(obj)) {
    const r = mappingGet(obj, ops.pyKey(k));
    if (r.found) return r.value;
  }
  if (typeof k === 'string') {
    const m = pyMethod(obj, k);
    if (m) return m;
    if (!isMapping(obj) && !Array.isArray(obj) && typeof obj === 'object' && k in (obj as object)) {
      const v = (obj as Record<string, unknown>)[k];
      return typeof v === 'function' ? v.bind(obj) : v;
    }
  }
  return missingAttr(obj, k);
}

/** Ansible's finalize: None prints as '', everything else as Python str(). */
export function suppressValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return pyStr(v);
}

/** Loop targets as Python iterates them: dicts give keys, strings give characters. */
export function fromIterator(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isUndefined(v)) return v.fail();
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return mappingKeys(v);
  if (typeof v === 'object' && v !== null && Symbol.iterator in v) return Array.from(v as Iterable<unknown>);
  throw new TemplateError(`'${typeName(v)}' object is not iterable`);
}

/** `*args` / `**kwargs` of a call, spread into the arguments by callWrap. */
export class StarArgs {
  constructor(readonly items: readonly unknown[], readonly keywords: boolean) {}
}

/** Spreads *args in place and merges **kwargs into the trailing keyword object (like Python's call). */
function spreadStars(args: readonly unknown[]): unknown[] {
  if (!args.some((a) => a instanceof StarArgs)) return [...args];
  const out: unknown[] = [];
  const kw: Record<string, unknown> = { __keywords: true };
  for (const a of args) {
    if (a instanceof StarArgs && a.keywords) Object.assign(kw, a.items[0]);
    else if (a instanceof StarArgs) out.push(...a.items);
    else if (a !== null && typeof a === 'object' && (a as { __keywords?: unknown }).__keywords === true) Object.assign(kw, a);
    else out.push(a);
  }
  return Object.keys(kw).length > 1 ? [...out, kw] : out;
}

function callWrap(fn: unknown, name: string, context: unknown, args: unknown[]): unknown {
  if (isUndefined(fn)) return fn.fail();
  if (typeof fn !== 'function') throw new TemplateError(`'${typeName(fn)}' object is not callable (${name})`);
  return (fn as (...a: unknown[]) => unknown).apply(context, spreadStars(args));
}

function contextOrFrameLookup(context: RenderContextLike, frame: { lookup(n: string): unknown }, name: string): unknown {
  const local = frame.lookup(name);
  if (local !== undefined) return local;
  if (Object.prototype.hasOwnProperty.call(context.ctx, name)) return context.ctx[name];
  return context.scope.lookup(name);
}

/** Errors keep their tsplay class; anything else becomes a TemplateError naming its cause. */
function handleError(e: unknown): TsplayError {
  if (e instanceof TsplayError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  const m = /^filter not found: (.*)$/.exec(msg);
  return new TemplateError(m ? `No filter named '${m[1]}'.` : msg, { cause: e });
}

function unwrapSafe(v: unknown): unknown {
  return v instanceof njRuntime.SafeString ? String(v) : v;
}

/** Python slice semantics for lists and strings, negative indices and steps included. */
export function slice(target: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (isUndefined(target)) return target.fail();
  const seq = typeof target === 'string' ? [...target] : Array.isArray(target) ? target : null;
  if (!seq) throw new TemplateError(`'${typeName(target)}' object is not subscriptable`);
  const n = seq.length;
  const st = step === null || step === undefined ? 1 : num(step);
  if (st === 0) throw new TemplateError('slice step cannot be zero');
  const norm = (v: unknown, dflt: number, lo: number, hi: number) => {
    if (v === null || v === undefined) return dflt;
    const x = num(v);
    return Math.min(Math.max(x < 0 ? x + n : x, lo), hi);
  };
  const out: unknown[] = [];
  if (st > 0) {
    for (let i = norm(start, 0, 0, n), e = norm(stop, n, 0, n); i < e; i += st) out.push(seq[i]);
  } else {
    for (let i = norm(start, n - 1, -1, n - 1), e = norm(stop, -1, -1, n - 1); i > e; i += st) out.push(seq[i]);
  }
  return typeof target === 'string' ? out.join('') : out;
}

export interface RuntimeTables {
  readonly filters: ReadonlyMap<string, FilterFn>;
  readonly tests: ReadonlyMap<string, TestFn>;
}

export type Runtime = Record<string, unknown>;

/** ansible's message for a test it cannot load: a malformed plugin name says so (Jinja2's TemplateSyntaxError). */
export function unknownTestError(name: string): TemplateError {
  if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(name)) {
    return new TemplateError(`TemplateSyntaxError: Could not load "${name}": 'invalid plugin name: ansible.builtin.${name}'`);
  }
  return new TemplateError(`No test named '${name}'.`, { hint: 'check the test name; tsplay may not implement it yet' });
}

export function makeRuntime(tables: RuntimeTables): Runtime {
  const pyFilter = (_env: unknown, name: string, _context: unknown, args: unknown[]): unknown => {
    const f = tables.filters.get(name);
    if (!f) throw new TemplateError(`No filter named '${name}'.`, { hint: 'check the filter name; tsplay may not implement it yet' });
    const vals = args.map(unwrapSafe);
    if (!UNDEFINED_OK_FILTERS.has(name)) for (const a of vals) if (isUndefined(a)) a.fail();
    return f(vals[0], ...vals.slice(1));
  };
  const pyTest = (_env: unknown, name: string, args: unknown[]): boolean => {
    const t = tables.tests.get(name === 'null' ? 'none' : name);
    if (!t) throw unknownTestError(name);
    const vals = args.map(unwrapSafe);
    if (!UNDEFINED_OK_TESTS.has(name)) for (const a of vals) if (isUndefined(a)) a.fail();
    return t(vals[0], ...vals.slice(1));
  };
  return {
    ...njRuntime,
    memberLookup,
    contextOrFrameLookup,
    suppressValue,
    callWrap,
    handleError,
    fromIterator,
    tuple,
    truthy: ops.truthy,
    pyAdd: ops.add,
    pySub: ops.sub,
    pyMul: ops.mul,
    pyDiv: ops.div,
    pyFloorDiv: ops.floorDiv,
    pyMod: ops.mod,
    pyPow: ops.pow,
    pyNeg: ops.neg,
    pyPos: (a: unknown) => ops.add(0, a),
    pyConcat: ops.concat,
    pyIn: ops.inOp,
    pyCompare: ops.compareChain,
    pyFilter,
    pyTest,
    pyDict: (pairs: readonly (readonly [unknown, unknown])[]) => Object.fromEntries(pairs.map(([k, v]) => [ops.pyKey(isUndefined(k) ? k.fail() : k), v])),
    missingElse: () => new Undefined('', 'the inline if-expression on line evaluated to false and no else section was defined.'),
  };
}
