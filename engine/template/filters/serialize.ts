import { PyDatetime } from '../python/datetime.js';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { truthy } from '../python/ops.js';
import { floatRepr, pyStr } from '../python/repr.js';
import { PyFloat, PyObject, isMapping, mappingKeys, mappingGet, num } from '../python/values.js';
import { yamlDump } from './yaml-dump.js';
import type { FilterTable } from './types.js';

function jsonString(s: string, ensureAscii: boolean): string {
  const j = JSON.stringify(s);
  return ensureAscii ? j.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : j;
}

interface JsonOpts {
  readonly indent: number | null;
  readonly sortKeys: boolean;
  readonly ensureAscii: boolean;
}

/** Python's json.dumps: ", " and ": " separators, "\uXXXX" for non-ASCII, 2.0 stays 2.0. */
export function pyJson(v: unknown, o: JsonOpts, depth = 0): string {
  if (v === null || v === undefined) return 'null';
  if (v === true || v === false) return String(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number.isFinite(v) ? floatRepr(v) : v > 0 ? 'Infinity' : Number.isNaN(v) ? 'NaN' : '-Infinity';
  if (typeof v === 'string') return jsonString(v, o.ensureAscii);
  const nl = o.indent === null ? '' : '\n' + ' '.repeat(o.indent * (depth + 1));
  const end = o.indent === null ? '' : '\n' + ' '.repeat(o.indent * depth);
  const sep = o.indent === null ? ', ' : ',';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => pyJson(x, o, depth + 1)).join(sep + nl)}${end}]`;
  }
  if (isMapping(v)) {
    const keys = mappingKeys(v);
    if (keys.length === 0) return '{}';
    if (o.sortKeys) keys.sort();
    const parts = keys.map((k) => `${jsonString(k, o.ensureAscii)}: ${pyJson(mappingGet(v, k).value, o, depth + 1)}`);
    return `{${nl}${parts.join(sep + nl)}${end}}`;
  }
  // like ansible's AnsibleJSONEncoder: a datetime is its isoformat(), a timedelta is refused
  if (v instanceof PyDatetime) return jsonString(v.isoformat(), o.ensureAscii);
  if (v instanceof PyObject) throw new TemplateError(`Object of type ${v.pyType} is not JSON serializable`);
  return jsonString(pyStr(v), o.ensureAscii);
}

function toJson(v: unknown, ...args: unknown[]): string {
  const a = bind('to_json', args, ['indent', 'sort_keys', 'ensure_ascii', 'separators'], { indent: null, sort_keys: false, ensure_ascii: true, separators: null });
  return pyJson(v, { indent: a.indent === null ? null : num(a.indent), sortKeys: truthy(a.sort_keys), ensureAscii: truthy(a.ensure_ascii) });
}

function toNiceJson(v: unknown, ...args: unknown[]): string {
  const a = bind('to_nice_json', args, ['indent', 'sort_keys', 'ensure_ascii'], { indent: 4, sort_keys: true, ensure_ascii: true });
  return pyJson(v, { indent: num(a.indent), sortKeys: truthy(a.sort_keys), ensureAscii: truthy(a.ensure_ascii) });
}

function fromJson(v: unknown): unknown {
  try {
    return JSON.parse(pyStr(v));
  } catch (e) {
    throw new TemplateError(`Expecting value: ${(e as Error).message}`);
  }
}

function fromYaml(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return parseYaml(v, { version: '1.1', schema: 'yaml-1.1' });
  } catch (e) {
    throw new TemplateError(`from_yaml: ${(e as Error).message}`);
  }
}

export const serializeFilters: FilterTable = {
  to_json: toJson,
  to_nice_json: toNiceJson,
  from_json: fromJson,
  to_yaml: (v, ...args) => {
    const a = bind('to_yaml', args, ['indent', 'default_flow_style'], { indent: 2, default_flow_style: null });
    return yamlDump(v, { indent: num(a.indent), flow: a.default_flow_style === null ? null : truthy(a.default_flow_style) });
  },
  to_nice_yaml: (v, ...args) => {
    const a = bind('to_nice_yaml', args, ['indent'], { indent: 4 });
    return yamlDump(v, { indent: num(a.indent), flow: false });
  },
  from_yaml: fromYaml,
  // like ansible 2.14: a value that is not a string comes back as it is
  from_yaml_all: (v) => typeof v !== 'string' ? v : parseAllDocuments(pyStr(v), { version: '1.1' }).map((d) => (Array.isArray(d) ? null : d.toJS())),
};
