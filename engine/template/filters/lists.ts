import { randomInt } from 'node:crypto';
import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { eq, cmp, truthy, add } from '../python/ops.js';
import { num, Undefined, tuple } from '../python/values.js';
import { fromIterator, memberLookup } from '../runtime.js';
import type { FilterTable } from './types.js';
import { PyRandom } from '../python/py-random.js';

/**
 * ansible's shuffle (randomize_list): a shuffled copy; with a seed Python's Random(seed) order,
 * so a seeded shuffle is the same on every run and the same as ansible's. A value that is not a
 * list comes back as it is (ansible swallows the error).
 */
function randomizeList(v: unknown, ...args: unknown[]): unknown {
  const a = bind('shuffle', args, ['seed'], { seed: null });
  let items: unknown[];
  try {
    items = [...fromIterator(v)];
  } catch {
    return v;
  }
  if (truthy(a.seed)) return new PyRandom(a.seed).shuffle(items);
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function uniq(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of items) if (!out.some((y) => eq(x, y))) out.push(x);
  return out;
}

const has = (list: unknown[], x: unknown) => list.some((y) => eq(x, y));

/** ansible's flatten: drops None (and the strings 'None'/'null'); `levels` limits the depth. */
export function flatten(list: unknown, levels: unknown = null, skipNulls: unknown = true): unknown[] {
  const out: unknown[] = [];
  for (const el of fromIterator(list)) {
    if (truthy(skipNulls) && (el === null || el === 'None' || el === 'null')) continue;
    if (Array.isArray(el) && (levels === null || num(levels) >= 1)) {
      out.push(...flatten(el, levels === null ? null : num(levels) - 1, skipNulls));
    } else out.push(el);
  }
  return out;
}

/** Jinja's attribute getter: "a.b" walks nested items, "a,b" compares several keys. */
export function attrGetter(attribute: unknown): (x: unknown) => unknown {
  const parts = String(attribute).split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (x) => parts.reduce((o, p) => memberLookup(o, p), x);
}

/** Jinja sorts and compares strings case-insensitively unless case_sensitive=true. */
function sortKey(caseSensitive: boolean): (x: unknown) => unknown {
  return (x) => (!caseSensitive && typeof x === 'string' ? x.toLowerCase() : x);
}

function sortFilter(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind('sort', args, ['reverse', 'case_sensitive', 'attribute'], { reverse: false, case_sensitive: false, attribute: null });
  const key = sortKey(truthy(a.case_sensitive));
  const getters = a.attribute === null ? [(x: unknown) => x] : String(a.attribute).split(',').map(attrGetter);
  const items = [...fromIterator(value)];
  const keyed = items.map((x) => ({ x, k: getters.map((g) => key(g(x))) }));
  keyed.sort((p, q) => cmp(p.k, q.k, '<'));
  if (truthy(a.reverse)) keyed.reverse();
  return keyed.map((p) => p.x);
}

function minMax(which: 'min' | 'max'): (value: unknown, ...args: unknown[]) => unknown {
  return (value, ...args) => {
    const a = bind(which, args, ['case_sensitive', 'attribute'], { case_sensitive: false, attribute: null });
    const items = fromIterator(value);
    if (items.length === 0) return new Undefined(which, `No aggregated item, sequence was empty.`);
    const key = sortKey(truthy(a.case_sensitive));
    const get = a.attribute === null ? (x: unknown) => x : attrGetter(a.attribute);
    return items.reduce((best, x) => {
      const c = cmp(key(get(x)), key(get(best)), '<');
      return (which === 'min' ? c < 0 : c > 0) ? x : best;
    });
  };
}

function sum(value: unknown, ...args: unknown[]): unknown {
  const a = bind('sum', args, ['attribute', 'start'], { attribute: null, start: 0 });
  const get = a.attribute === null ? (x: unknown) => x : attrGetter(a.attribute);
  return fromIterator(value).reduce((acc: unknown, x) => add(acc, get(x)), a.start);
}

function zipLongest(lists: unknown[][], fill: unknown): unknown[] {
  const n = Math.max(0, ...lists.map((l) => l.length));
  return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))));
}

export const listFilters: FilterTable = {
  first: (v) => {
    const items = fromIterator(v);
    return items.length ? items[0] : new Undefined('first', 'No first item, sequence was empty.');
  },
  last: (v) => {
    const items = fromIterator(v);
    return items.length ? items[items.length - 1] : new Undefined('last', 'No last item, sequence was empty.');
  },
  unique: (v, ...args) => {
    // like ansible 2.14: Jinja2's do_unique with case_sensitive=bool(None) (so case-insensitive by
    // default); on unhashable items ansible falls back to its own unique unless an option was given
    const a = bind('unique', args, ['case_sensitive', 'attribute'], { case_sensitive: null, attribute: null });
    const items = fromIterator(v);
    const get = a.attribute === null ? (x: unknown) => x : attrGetter(a.attribute);
    const keys = items.map(get);
    if (keys.some((k) => k !== null && typeof k === 'object')) {
      if (a.case_sensitive === false || a.attribute !== null) throw new TemplateError("Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support the parameters supplied");
      return uniq(items);
    }
    const fold = (k: unknown) => (!truthy(a.case_sensitive) && typeof k === 'string' ? k.toLowerCase() : k);
    const seen: unknown[] = [];
    return items.filter((x, i) => (has(seen, fold(keys[i])) ? false : (seen.push(fold(keys[i])), true)));
  },
  union: (a, b) => uniq([...fromIterator(a), ...fromIterator(b)]),
  intersect: (a, b) => uniq(fromIterator(a).filter((x) => has(fromIterator(b), x))),
  difference: (a, b) => uniq(fromIterator(a).filter((x) => !has(fromIterator(b), x))),
  symmetric_difference: (a, b) => {
    const la = fromIterator(a);
    const lb = fromIterator(b);
    const isect = uniq(la.filter((x) => has(lb, x)));
    return uniq([...la, ...lb]).filter((x) => !has(isect, x));
  },
  flatten: (v, ...args) => {
    const a = bind('flatten', args, ['levels', 'skip_nulls'], { levels: null, skip_nulls: true });
    return flatten(v, a.levels, a.skip_nulls);
  },
  min: minMax('min'),
  max: minMax('max'),
  sum,
  sort: sortFilter,
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...fromIterator(v)].reverse()),
  zip: (...lists) => {
    const ls = lists.map(fromIterator);
    const n = Math.min(...ls.map((l) => l.length));
    return Array.from({ length: n }, (_x, i) => tuple(ls.map((l) => l[i])));
  },
  zip_longest: (...args) => {
    const last = args[args.length - 1] as Record<string, unknown> | undefined;
    const kw = last && typeof last === 'object' && '__keywords' in last ? (args.pop() as Record<string, unknown>) : {};
    return zipLongest(args.map(fromIterator), kw.fillvalue ?? null);
  },
  batch: (v, size, fill?: unknown) => {
    const items = fromIterator(v);
    const n = num(size);
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
    const tail = out[out.length - 1];
    if (fill !== undefined && tail) while (tail.length < n) tail.push(fill);
    return out;
  },
  product: (...lists) => lists.map(fromIterator).reduce<unknown[][]>((acc, l) => acc.flatMap((p) => l.map((x) => [...p, x])), [[]]).map((p) => tuple(p)),
  shuffle: randomizeList,
};
