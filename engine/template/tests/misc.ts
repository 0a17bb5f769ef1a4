import { TemplateError } from '../../errors/index.js';
import { truthy } from '../python/ops.js';
import { isMapping, mappingGet, PyFloat } from '../python/values.js';
import { fromIterator, type TestFn } from '../runtime.js';

/** async task results: like ansible, a result without the key counts as finished / started. */
function asyncFlag(name: string): TestFn {
  return (result) => {
    if (!isMapping(result)) throw new TemplateError(`The '${name}' test expects a dictionary`);
    const v = mappingGet(result, name).value;
    return v === undefined ? true : Number(v) === 1;
  };
}

/** A float NaN (a plain JS number is a non-integral float here). */
function isNan(v: unknown): boolean {
  return v instanceof PyFloat ? Number.isNaN(v.value) : typeof v === 'number' && Number.isNaN(v);
}

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** ansible's uri/url/urn tests, with the default scheme lists. */
function uriTest(v: unknown, schemes?: unknown): boolean {
  const s = String(v);
  const m = URI.exec(s);
  if (!m) return false;
  if (schemes === undefined || schemes === null) return true;
  return (Array.isArray(schemes) ? schemes : [schemes]).map(String).includes(m[0].slice(0, -1));
}

/** Jinja2's and ansible's remaining tests; `filter` and `test` need the tables, see index.ts. */
export const miscTests: Record<string, TestFn> = {
  nan: (v) => isNan(v),
  isnan: (v) => isNan(v),
  lower: (v) => String(v) === String(v).toLowerCase(),
  upper: (v) => String(v) === String(v).toUpperCase(),
  all: (v) => fromIterator(v).every((x) => truthy(x)),
  any: (v) => fromIterator(v).some((x) => truthy(x)),
  // like Jinja2 without autoescape: no value is a Markup string
  escaped: () => false,
  finished: asyncFlag('finished'),
  started: asyncFlag('started'),
  uri: (v, schemes) => uriTest(v, schemes),
  url: (v, schemes) => uriTest(v, schemes) && /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]/.test(String(v)),
  urn: (v) => /^urn:/i.test(String(v)),
  vault_encrypted: (v) => typeof v === 'string' && v.startsWith('$ANSIBLE_VAULT;'),
};
