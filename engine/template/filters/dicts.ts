import { TemplateError } from '../../errors/index.js';
import { bind, splitArgs } from '../python/args.js';
import { cmp, truthy, pyKey } from '../python/ops.js';
import { pyStr, pythonRepr } from '../python/repr.js';
import { tuple, isMapping, isDict, mappingKeys, mappingGet, toDict, typeName } from '../python/values.js';
import { fromIterator, memberLookup } from '../runtime.js';
import type { FilterTable } from './types.js';
import { flatten } from './lists.js';

function dict2items(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind('dict2items', args, ['key_name', 'value_name'], { key_name: 'key', value_name: 'value' });
  if (!isMapping(value)) throw new TemplateError(`dict2items requires a dictionary, got ${typeName(value)} instead.`);
  return mappingKeys(value).map((k) => ({ [String(a.key_name)]: k, [String(a.value_name)]: mappingGet(value, k).value }));
}

/** ansible's items2dict: a list of {key, value} mappings back into a dict, with ansible's messages. */
function items2dict(value: unknown, ...args: unknown[]): Record<string, unknown> {
  const a = bind('items2dict', args, ['key_name', 'value_name'], { key_name: 'key', value_name: 'value' });
  if (!Array.isArray(value)) throw new TemplateError(`items2dict requires a list, got <class '${typeName(value)}'> instead.`);
  const [k, v] = [String(a.key_name), String(a.value_name)];
  const out: Record<string, unknown> = {};
  for (const item of value) {
    if (!isMapping(item)) throw new TemplateError(`items2dict requires a list of dictionaries, got ${pythonRepr(value)} instead.`);
    const [key, val] = [mappingGet(item, k), mappingGet(item, v)];
    if (!key.found || !val.found) {
      throw new TemplateError(`items2dict requires each dictionary in the list to contain the keys '${k}' and '${v}', got ${pythonRepr(value)} instead.`);
    }
    out[pyKey(key.value)] = val.value;
  }
  return out;
}

/** ansible's subelements(obj, subelements, skip_missing=False): (element, sub-item) pairs. */
function subelements(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind('subelements', args, ['subelements', 'skip_missing'], { skip_missing: false });
  const elements = isMapping(value) ? mappingKeys(value).map((k) => mappingGet(value, k).value) : Array.isArray(value) ? value : undefined;
  if (!elements) throw new TemplateError('obj must be a list of dicts or a nested dict');
  const path = Array.isArray(a.subelements) ? a.subelements : typeof a.subelements === 'string' ? a.subelements.split('.') : undefined;
  if (!path) throw new TemplateError('subelements must be a list or a string');
  return elements.flatMap((element) => {
    let values: unknown = element;
    for (const sub of path) {
      if (!isMapping(values)) throw new TemplateError(`the key ${pyStr(sub)} should point to a dictionary, got '${pyStr(values)}'`);
      const got = mappingGet(values, pyStr(sub));
      if (!got.found) {
        if (truthy(a.skip_missing)) return [];
        throw new TemplateError(`could not find ${pythonRepr(sub)} key in iterated item ${pythonRepr(values)}`);
      }
      values = got.value;
    }
    if (!Array.isArray(values)) throw new TemplateError(`the key ${pythonRepr(path[path.length - 1])} should point to a list, got ${pythonRepr(values)}`);
    return values.map((s) => tuple([element, s]));
  });
}

type ListMerge = 'replace' | 'keep' | 'append' | 'prepend' | 'append_rp' | 'prepend_rp';

function mergeLists(x: unknown[], y: unknown[], how: ListMerge): unknown[] {
  switch (how) {
    case 'replace': return y;
    case 'keep': return x;
    case 'append': return [...x, ...y];
    case 'prepend': return [...y, ...x];
    case 'append_rp': return [...x.filter((e) => !y.includes(e)), ...y];
    case 'prepend_rp': return [...y, ...x.filter((e) => !y.includes(e))];
  }
}

/** ansible's merge_hash: later dicts win; recursive merges nested dicts; list_merge for lists. */
export function mergeHash(x: Record<string, unknown>, y: Record<string, unknown>, recursive: boolean, how: ListMerge): Record<string, unknown> {
  const out: Record<string, unknown> = { ...x };
  for (const [k, yv] of Object.entries(y)) {
    const xv = out[k];
    if (!(k in out)) out[k] = yv;
    else if (recursive && isMapping(xv) && isMapping(yv)) out[k] = mergeHash(toDict(xv), toDict(yv), true, how);
    else if (Array.isArray(xv) && Array.isArray(yv)) out[k] = mergeLists(xv, yv, how);
    else out[k] = yv;
  }
  return out;
}

/** like ansible's combine: flatten(terms, levels=1) (None dropped), one term comes back as it is. */
function combine(...args: unknown[]): unknown {
  const { pos, kw } = splitArgs(args);
  if (Object.keys(kw).some((k) => k !== 'recursive' && k !== 'list_merge')) {
    throw new TemplateError("'recursive' and 'list_merge' are the only valid keyword arguments");
  }
  const recursive = truthy(kw.recursive ?? false);
  const how = String(kw.list_merge ?? 'replace') as ListMerge;
  if (!['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'].includes(how)) {
    throw new TemplateError(`'${how}' is not a valid list_merge value`);
  }
  const dicts = flatten(pos, 1);
  if (dicts.length <= 1) return dicts.length === 0 ? {} : dicts[0];
  return dicts.reduce<Record<string, unknown>>((acc, d) => {
    if (!isMapping(d)) throw new TemplateError(`failed to combine variables, expected dicts but got a '${typeName(d)}'`);
    return mergeHash(acc, toDict(d), recursive, how);
  }, {});
}

function dictsort(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind('dictsort', args, ['case_sensitive', 'by', 'reverse'], { case_sensitive: false, by: 'key', reverse: false });
  const pos = a.by === 'value' ? 1 : 0;
  const key = (x: unknown) => (!truthy(a.case_sensitive) && typeof x === 'string' ? x.toLowerCase() : x);
  const items = mappingKeys(value).map((k) => tuple([k, mappingGet(value, k).value]));
  items.sort((p, q) => cmp(key(p[pos]), key(q[pos]), '<'));
  return truthy(a.reverse) ? items.reverse() : items;
}

/** extract(container, morekeys=None): container[item], then each of morekeys. */
function extract(item: unknown, container: unknown, morekeys?: unknown): unknown {
  let v = memberLookup(container, item);
  for (const k of morekeys === undefined || morekeys === null ? [] : Array.isArray(morekeys) ? morekeys : [morekeys]) v = memberLookup(v, k);
  return v;
}

export const dictFilters: FilterTable = {
  dict2items,
  items2dict,
  combine,
  dictsort,
  extract,
  items: (v) => (isMapping(v) ? mappingKeys(v).map((k) => tuple([k, mappingGet(v, k).value])) : fromIterator(v)),
  subelements,
};
