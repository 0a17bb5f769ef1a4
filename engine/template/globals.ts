import { TemplateError } from '../errors/index.js';
import type { GlobalFn } from './context.js';
import { splitArgs } from './python/args.js';
import { isMapping, num, toDict } from './python/values.js';
import { fromIterator, slice, StarArgs } from './runtime.js';
import { truthy } from './python/ops.js';
import { strftime } from './python/strftime.js';
import { PyDatetime } from './python/datetime.js';
import { DSTAR_FN, NS_SET_FN, SLICE_FN, STAR_FN } from './parser.js';
import { runLookup, type LookupFn } from './lookups/index.js';

/** Python's range(); Jinja caps it, and so do we (a typo should not eat the memory). */
function range(...args: unknown[]): number[] {
  const [a, b, c] = args.map(num);
  const [start, stop, step] = args.length === 1 ? [0, a as number, 1] : [a as number, b as number, c ?? 1];
  if (step === 0) throw new TemplateError('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 100000) throw new TemplateError('range too big (more than 100000 items)');
  }
  return out;
}

/** Python's dict(): a mapping or an iterable of key/value pairs (e.g. `dict(keys | zip(values))`), then keywords. */
function dict(...args: unknown[]): Record<string, unknown> {
  const { pos, kw } = splitArgs(args);
  if (pos.length > 1) throw new TemplateError(`dict expected at most 1 argument, got ${pos.length}`);
  const src = pos[0];
  const out: Record<string, unknown> = {};
  if (src !== undefined && isMapping(src)) Object.assign(out, toDict(src));
  else if (src !== undefined) {
    if (!Array.isArray(src)) throw new TemplateError('dict() argument must be a mapping or an iterable of pairs');
    src.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new TemplateError(`dictionary update sequence element #${i} has length ${Array.isArray(pair) ? pair.length : 1}; 2 is required`);
      out[String(pair[0])] = pair[1];
    });
  }
  return Object.assign(out, kw);
}

/** ansible's now(utc=False, fmt=None): a (naive) Python datetime of the current time, or it formatted. */
function now(...args: unknown[]): string | PyDatetime {
  const { pos, kw } = splitArgs(args);
  const utc = truthy(kw.utc ?? pos[0] ?? false);
  const fmt = kw.fmt ?? pos[1] ?? null;
  const d = new Date();
  const micros = d.getMilliseconds() * 1000;
  if (fmt !== null) return strftime(String(fmt), d, { utc, micros });
  const p = utc
    ? { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() }
    : { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
  return PyDatetime.fromParts({ ...p, micro: micros });
}

/** Jinja2's namespace(): a mutable mapping that `{% set ns.attr = x %}` writes into, even from inside a loop. */
function namespace(...args: unknown[]): Record<string, unknown> {
  const { pos, kw } = splitArgs(args);
  return Object.assign({}, ...pos.map((p) => (isMapping(p) ? toDict(p) : {})), kw) as Record<string, unknown>;
}

function nsSet(ns: unknown, attr: unknown, value: unknown): string {
  if (ns === null || typeof ns !== 'object' || Array.isArray(ns)) throw new TemplateError('cannot assign attribute on non-namespace object');
  (ns as Record<string, unknown>)[String(attr)] = value;
  return '';
}

export function buildGlobals(lookups: ReadonlyMap<string, LookupFn>): Map<string, GlobalFn> {
  return new Map<string, GlobalFn>([
    ['range', range],
    ['dict', dict],
    ['now', now],
    ['namespace', namespace],
    [NS_SET_FN, nsSet],
    [SLICE_FN, (t, a, b, c) => slice(t, a, b, c)],
    [STAR_FN, (v) => new StarArgs(fromIterator(v), false)],
    [DSTAR_FN, (v) => new StarArgs([toDict(v)], true)],
    ['lookup', function (...args) { return runLookup(lookups, this.info, args, false); }],
    ['query', function (...args) { return runLookup(lookups, this.info, args, true); }],
    ['q', function (...args) { return runLookup(lookups, this.info, args, true); }],
  ]);
}
