import { TemplateError } from '../../errors/index.js';
import { splitArgs } from '../python/args.js';
import { truthy } from '../python/ops.js';
import { isUndefined } from '../python/values.js';
import { fromIterator, unknownTestError } from '../runtime.js';
import { attrGetter } from './lists.js';
import type { FilterHelpers, FilterTable } from './types.js';

/** The predicate of select/reject: a named test with its arguments, or truthiness. */
function predicate(h: FilterHelpers, args: unknown[]): (x: unknown) => boolean {
  if (args.length === 0) return truthy;
  const name = String(args[0]);
  const test = h.test(name);
  if (!test) throw unknownTestError(name);
  const rest = args.slice(1);
  return (x) => test(x, ...rest);
}

function selector(h: FilterHelpers, keep: boolean, byAttr: boolean) {
  return (value: unknown, ...args: unknown[]): unknown[] => {
    const { pos } = splitArgs(args);
    const get = byAttr ? attrGetter(pos[0]) : (x: unknown) => x;
    const test = predicate(h, byAttr ? pos.slice(1) : pos);
    return fromIterator(value).filter((x) => {
      const v = get(x);
      if (isUndefined(v) && (byAttr ? pos.length < 2 : false)) v.fail();
      return test(v) === keep;
    });
  };
}

/** map(attribute='x', default=...) or map('filter', args...). */
function map(h: FilterHelpers) {
  return (value: unknown, ...args: unknown[]): unknown[] => {
    const { pos, kw } = splitArgs(args);
    const items = fromIterator(value);
    if (pos.length === 0 && kw.attribute !== undefined) {
      const get = attrGetter(kw.attribute);
      return items.map((x) => {
        const v = get(x);
        return isUndefined(v) && 'default' in kw ? kw.default : v;
      });
    }
    const name = String(pos[0]);
    const f = h.filter(name);
    if (!f) throw new TemplateError(`No filter named '${name}'.`);
    const rest = [...pos.slice(1), ...(Object.keys(kw).length ? [{ ...kw, __keywords: true }] : [])];
    return items.map((x) => {
      if (isUndefined(x)) x.fail();
      return f(x, ...rest);
    });
  };
}

export function selectFilters(h: FilterHelpers): FilterTable {
  return {
    select: selector(h, true, false),
    reject: selector(h, false, false),
    selectattr: selector(h, true, true),
    rejectattr: selector(h, false, true),
    map: map(h),
  };
}
