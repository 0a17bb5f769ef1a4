import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { truthy } from '../python/ops.js';
import { pyStr } from '../python/repr.js';
import { isUndefined, isMapping, mappingKeys, num, mkFloat, typeName, PyFloat, isNumber } from '../python/values.js';
import { fromIterator } from '../runtime.js';
import type { FilterTable } from './types.js';

/** default(value, default_value='', boolean=False): only undefined (or falsy with boolean) is replaced. */
function dflt(value: unknown, ...args: unknown[]): unknown {
  const a = bind('default', args, ['default_value', 'boolean'], { default_value: '', boolean: false });
  if (isUndefined(value) || (truthy(a.boolean) && !truthy(value))) return a.default_value;
  return value;
}

/** ansible's to_bool: only yes/on/1/true (any case) and 1 are true; 'y' is false. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return false;
  const s = typeof v === 'string' ? v.toLowerCase() : v;
  if (isNumber(s)) return num(s) === 1;
  return s === 'yes' || s === 'on' || s === '1' || s === 'true';
}

function parseIntPy(s: string, base: number): number | undefined {
  const t = s.trim().replace(/_/g, '');
  const prefixed = base === 16 ? t.replace(/^([-+]?)0x/i, '$1') : base === 8 ? t.replace(/^([-+]?)0o/i, '$1') : base === 2 ? t.replace(/^([-+]?)0b/i, '$1') : t;
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (!new RegExp(`^[-+]?[${digits}]+$`, 'i').test(prefixed)) return undefined;
  return parseInt(prefixed, base);
}

function parseFloatPy(s: string): number | undefined {
  const t = s.trim().toLowerCase();
  if (/^[-+]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/.test(t)) return NaN;
  if (!/^[-+]?(\d[\d_]*\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(t)) return undefined;
  return Number(t.replace(/_/g, ''));
}

/** Jinja's int(value, default=0, base=10): int(), then int(float()), else the default. */
function toInt(value: unknown, ...args: unknown[]): unknown {
  const a = bind('int', args, ['default', 'base'], { default: 0, base: 10 });
  if (typeof value === 'string') {
    const i = parseIntPy(value, num(a.base));
    if (i !== undefined) return i;
    const f = parseFloatPy(value);
    return f === undefined || !Number.isFinite(f) ? a.default : Math.trunc(f);
  }
  if (isNumber(value) || typeof value === 'boolean') return Math.trunc(num(value));
  return a.default;
}

function toFloat(value: unknown, ...args: unknown[]): unknown {
  const a = bind('float', args, ['default'], { default: new PyFloat(0) });
  if (typeof value === 'string') {
    const f = parseFloatPy(value);
    return f === undefined ? a.default : mkFloat(f);
  }
  if (isNumber(value) || typeof value === 'boolean') return mkFloat(num(value));
  return a.default;
}

function ternary(value: unknown, t: unknown, f: unknown, none: unknown = null): unknown {
  if ((value === null || value === undefined) && none !== null && none !== undefined) return none;
  return truthy(value) ? t : f;
}

export function length(v: unknown): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isMapping(v)) return mappingKeys(v).length;
  throw new TemplateError(`object of type '${typeName(v)}' has no len()`);
}

/** Python's round(): ties go to the even neighbour (Jinja's 'common' method uses it). */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (Math.abs(diff - 0.5) > 1e-9) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

function round(value: unknown, ...args: unknown[]): unknown {
  const a = bind('round', args, ['precision', 'method'], { precision: 0, method: 'common' });
  const p = 10 ** num(a.precision);
  const x = num(value) * p;
  const r = a.method === 'ceil' ? Math.ceil(x) : a.method === 'floor' ? Math.floor(x) : roundHalfEven(x);
  return mkFloat(r / p);
}

function typeDebug(v: unknown): string {
  return typeName(v);
}

export const coreFilters: FilterTable = {
  default: dflt,
  d: dflt,
  mandatory: (value, msg?: unknown) => {
    if (!isUndefined(value)) return value;
    if (msg !== undefined && msg !== null) throw new TemplateError(pyStr(msg));
    throw new TemplateError(`Mandatory variable ${value.name ? `'${value.name}' ` : ''} not defined.`);
  },
  bool: (v) => (v === null || v === undefined ? null : toBool(v)), // like ansible: None | bool is None
  int: toInt,
  float: toFloat,
  string: (v) => pyStr(v),
  ternary: (v, t, f, n) => ternary(v, t, f, n),
  length,
  count: length,
  list: (v) => [...fromIterator(v)],
  abs: (v) => (v instanceof PyFloat ? mkFloat(Math.abs(v.value)) : Math.abs(num(v))),
  round,
  type_debug: typeDebug,
};
