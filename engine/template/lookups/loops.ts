import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PlainLookupError, type LookupFn } from './lookup-fn.js';
import type { RenderInfo } from '../context.js';
import { pyStr } from '../python/repr.js';
import { truthy } from '../python/ops.js';
import { isMapping, mappingGet, mappingKeys, toDict } from '../python/values.js';
import { lookupSearchDirs } from './files.js';

/** ansible's LookupBase._flatten: one level. */
function flatten(terms: readonly unknown[]): unknown[] {
  return terms.flatMap((x) => (Array.isArray(x) ? x : [x]));
}

/** ansible's listify_lookup_plugin_terms for an already templated value. */
function listify(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

function together(terms: unknown[]): unknown[] {
  const lists = terms.map(listify);
  if (lists.length === 0) throw new PlainLookupError('with_together requires at least one element in each list');
  const n = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => flatten(lists.map((l) => (i < l.length ? l[i] : null))));
}

function nested(terms: unknown[]): unknown[] {
  const lists = terms.map(listify);
  if (lists.length === 0) throw new PlainLookupError('with_nested requires at least one element in the nested list');
  let result: unknown[] = lists[0]!;
  for (const next of lists.slice(1)) result = result.flatMap((x) => next.map((y) => flatten([x, y])));
  return result.map((x) => flatten(listify(x)));
}

function subelementsError(msg = ''): PlainLookupError {
  return new PlainLookupError(`subelements lookup expects a list of two or three items, ${msg}`);
}

/** One parent's sub-list, popped out of it like ansible (item.0 no longer holds it). */
function subList(item0: Record<string, unknown>, keys: string[], skipMissing: boolean): unknown[] {
  let sub: Record<string, unknown> = item0;
  for (const [i, k] of keys.entries()) {
    const last = i === keys.length - 1;
    if (!(k in sub)) {
      if (skipMissing) continue;
      throw new PlainLookupError(`could not find '${k}' key in iterated item '${pyStr(sub)}'`);
    }
    if (!last) {
      if (!isMapping(sub[k])) {
        if (skipMissing) continue;
        throw new PlainLookupError(`the key ${k} should point to a dictionary, got '${pyStr(sub[k])}'`);
      }
      sub = sub[k] as Record<string, unknown>;
    } else {
      if (!Array.isArray(sub[k])) throw new PlainLookupError(`the key ${k} should point to a list, got '${pyStr(sub[k])}'`);
      const out = sub[k] as unknown[];
      delete sub[k];
      return out;
    }
  }
  return [];
}

function subelements(terms: unknown[]): unknown[] {
  if (terms.length < 2 || terms.length > 3) throw subelementsError();
  const [term0, key, flags] = terms;
  // like ansible: the first term is listified (a scalar becomes a one-item list)
  const first = Array.isArray(term0) || isMapping(term0) ? term0 : [term0];
  if (!(Array.isArray(first) || isMapping(first)) || typeof key !== 'string') throw subelementsError('first a dict or a list, second a string pointing to the subkey');
  if (isMapping(first) && mappingGet(first, 'skipped').value !== undefined && mappingGet(first, 'skipped').value !== false) return [];
  const elements = Array.isArray(first) ? first : mappingKeys(first).map((k) => mappingGet(first, k).value);
  if (flags !== undefined && !isMapping(flags)) throw subelementsError("the optional third item must be a dict with flags ['skip_missing']");
  const skipMissing = flags !== undefined && truthy(mappingGet(flags, 'skip_missing').value ?? false);
  const out: unknown[] = [];
  for (const el of elements) {
    if (!isMapping(el)) throw new PlainLookupError(`subelements lookup expects a dictionary, got '${pyStr(el)}'`);
    const item0 = structuredClone(toDict(el)) as Record<string, unknown>;
    if (item0.skipped !== undefined && item0.skipped !== false) continue;
    for (const s of subList(item0, key.split('.'), skipMissing)) out.push([item0, s]);
  }
  return out;
}

/** Python's glob.glob of one folder: regular files whose name matches the shell pattern. */
function globFiles(dir: string, pattern: string): string[] {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // like glob: a missing folder matches nothing
  }
  return names.filter((n) => re.test(n) && !n.startsWith('.')).sort().map((n) => join(dir, n)).filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile());
}

/** ansible's fileglob lookup: the files/ folders of the search path, first folder with a match wins. */
function fileglob(terms: unknown[], _kw: Record<string, unknown>, info: RenderInfo): unknown[] {
  const out: string[] = [];
  for (const t of terms.flat().map(pyStr)) {
    const file = basename(t);
    const dirs = file !== t ? lookupSearchDirs(dirname(t), 'files', info) : lookupSearchDirs('', 'files', info);
    for (const d of dirs) {
      const hits = globFiles(d, file);
      if (hits.length > 0) {
        out.push(...hits);
        break;
      }
    }
  }
  return out;
}

export const loopLookups: Record<string, LookupFn> = {
  together,
  nested,
  cartesian: nested,
  subelements,
  fileglob,
  indexed_items: (terms) => flatten(terms).map((x, i) => [i, x]),
  random_choice: (terms) => (terms.length === 0 ? [] : [terms[Math.floor(Math.random() * terms.length)]]),
};
