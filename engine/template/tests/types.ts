import { toBool } from '../filters/core.js';
import { truthy } from '../python/ops.js';
import { bind } from '../python/args.js';
import { PyFloat, isUndefined, isMapping, isVarSource } from '../python/values.js';
import type { TestFn } from '../runtime.js';

function truthyTest(v: unknown, args: unknown[]): boolean {
  const a = bind('truthy', args, ['convert_bool'], { convert_bool: false });
  return truthy(a.convert_bool) ? toBool(v) : truthy(v);
}

/** Python type checks; like Jinja, a bool is a number but not an integer. */
export const typeTests: Record<string, TestFn> = {
  defined: (v) => !isUndefined(v),
  undefined: (v) => isUndefined(v),
  none: (v) => v === null,
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat,
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v)),
  boolean: (v) => typeof v === 'boolean',
  mapping: (v) => isMapping(v),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || (isMapping(v) && !isVarSource(v)),
  callable: (v) => typeof v === 'function',
  sameas: (v, other) => v === other,
  truthy: (v, ...args) => truthyTest(v, args),
  falsy: (v, ...args) => !truthyTest(v, args),
  true: (v) => v === true,
  false: (v) => v === false,
};
