import { TemplateError } from '../../errors/index.js';
import { pyStr } from './repr.js';
import { eq, pyKey } from './ops.js';
import { splitArgs } from './args.js';
import { isMapping, mappingGet, mappingKeys, num, isVarSource, tuple } from './values.js';

type Method = (self: never, ...args: unknown[]) => unknown;

function wsSplit(s: string, max: number): string[] {
  const parts = s.trim().split(/\s+/).filter((p) => p !== '');
  if (max < 0 || parts.length <= max + 1) return parts;
  // keep the tail joined with its original spacing
  const re = /\S+/g;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) && out.length < max) out.push(m[0]);
  out.push(s.slice(re.lastIndex).replace(/^\s+/, '').replace(/\s+$/, ''));
  return out;
}

function split(s: string, sep?: unknown, maxsplit?: unknown): string[] {
  const max = maxsplit === undefined ? -1 : num(maxsplit);
  if (sep === undefined || sep === null) return wsSplit(s, max);
  const sp = String(sep);
  if (sp === '') throw new TemplateError('empty separator');
  const all = s.split(sp);
  if (max < 0 || all.length <= max + 1) return all;
  return [...all.slice(0, max), all.slice(max).join(sp)];
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? ' \t\n\r\f\v' : String(chars);
  let a = 0;
  let b = s.length;
  while (left && a < b && set.includes(s[a] as string)) a++;
  while (right && b > a && set.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

function affix(s: string, x: unknown, f: (p: string) => boolean): boolean {
  return Array.isArray(x) ? x.some((p) => f(String(p))) : f(String(x));
}

function strFormat(s: string, ...args: unknown[]): string {
  const { pos, kw } = splitArgs(args);
  let auto = 0;
  return s.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, field: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const name = (field ?? '').split(/[:!]/)[0] as string;
    const v = name === '' ? pos[auto++] : /^\d+$/.test(name) ? pos[Number(name)] : kw[name];
    return pyStr(v);
  });
}

const STR: Record<string, Method> = {
  split: (s: string, sep?: unknown, max?: unknown) => split(s, sep, max),
  rsplit: (s: string, sep?: unknown, max?: unknown) => {
    if (max === undefined || num(max) < 0) return split(s, sep);
    const rev = (x: string) => [...x].reverse().join('');
    return split(rev(s), sep === undefined || sep === null ? sep : rev(String(sep)), max).map(rev).reverse();
  },
  splitlines: (s: string) => s.split(/\r\n|\r|\n/).filter((l, i, a) => i < a.length - 1 || l !== ''),
  strip: (s: string, c?: unknown) => stripChars(s, c, true, true),
  lstrip: (s: string, c?: unknown) => stripChars(s, c, true, false),
  rstrip: (s: string, c?: unknown) => stripChars(s, c, false, true),
  startswith: (s: string, p: unknown) => affix(s, p, (x) => s.startsWith(x)),
  endswith: (s: string, p: unknown) => affix(s, p, (x) => s.endsWith(x)),
  replace: (s: string, a: unknown, b: unknown, count?: unknown) => {
    const parts = s.split(String(a));
    const n = count === undefined ? -1 : num(count);
    if (n < 0 || parts.length <= n + 1) return parts.join(String(b));
    return parts.slice(0, n + 1).join(String(b)) + String(a) + parts.slice(n + 1).join(String(a));
  },
  lower: (s: string) => s.toLowerCase(),
  upper: (s: string) => s.toUpperCase(),
  title: (s: string) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  capitalize: (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  join: (s: string, items: unknown) => (Array.isArray(items) ? items.map(pyStr).join(s) : [...pyStr(items)].join(s)),
  format: strFormat,
  find: (s: string, x: unknown) => s.indexOf(String(x)),
  rfind: (s: string, x: unknown) => s.lastIndexOf(String(x)),
  index: (s: string, x: unknown) => {
    const i = s.indexOf(String(x));
    if (i < 0) throw new TemplateError('substring not found');
    return i;
  },
  count: (s: string, x: unknown) => s.split(String(x)).length - 1,
  isdigit: (s: string) => /^\d+$/.test(s),
  isalpha: (s: string) => /^[A-Za-z]+$/.test(s),
  isalnum: (s: string) => /^[A-Za-z0-9]+$/.test(s),
  islower: (s: string) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s: string) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  isspace: (s: string) => /^\s+$/.test(s),
  zfill: (s: string, w: unknown) => {
    const sign = /^[-+]/.test(s) ? (s[0] as string) : '';
    return sign + s.slice(sign.length).padStart(num(w) - sign.length, '0');
  },
  ljust: (s: string, w: unknown, f?: unknown) => s.padEnd(num(w), f === undefined ? ' ' : String(f)),
  rjust: (s: string, w: unknown, f?: unknown) => s.padStart(num(w), f === undefined ? ' ' : String(f)),
  center: (s: string, w: unknown) => {
    const total = num(w) - s.length;
    if (total <= 0) return s;
    const left = Math.floor(total / 2) + (total % 2 && num(w) % 2 ? 1 : 0);
    return ' '.repeat(left) + s + ' '.repeat(total - left);
  },
  partition: (s: string, sep: unknown) => {
    const i = s.indexOf(String(sep));
    return tuple(i < 0 ? [s, '', ''] : [s.slice(0, i), String(sep), s.slice(i + String(sep).length)]);
  },
  removeprefix: (s: string, p: unknown) => (s.startsWith(String(p)) ? s.slice(String(p).length) : s),
  removesuffix: (s: string, p: unknown) => (String(p) && s.endsWith(String(p)) ? s.slice(0, -String(p).length) : s),
};

const LIST: Record<string, Method> = {
  append: (l: unknown[], x: unknown) => void l.push(x),
  extend: (l: unknown[], x: unknown) => void l.push(...(x as unknown[])),
  insert: (l: unknown[], i: unknown, x: unknown) => void l.splice(num(i), 0, x),
  pop: (l: unknown[], i?: unknown) => {
    if (l.length === 0) throw new TemplateError('pop from empty list');
    const at = i === undefined ? l.length - 1 : (num(i) + l.length) % l.length;
    return l.splice(at, 1)[0];
  },
  remove: (l: unknown[], x: unknown) => {
    const i = l.findIndex((y) => eq(y, x));
    if (i < 0) throw new TemplateError('list.remove(x): x not in list');
    l.splice(i, 1);
  },
  index: (l: unknown[], x: unknown) => {
    const i = l.findIndex((y) => eq(y, x));
    if (i < 0) throw new TemplateError(`${pyStr(x)} is not in list`);
    return i;
  },
  count: (l: unknown[], x: unknown) => l.filter((y) => eq(y, x)).length,
  copy: (l: unknown[]) => [...l],
  reverse: (l: unknown[]) => void l.reverse(),
};

const DICT: Record<string, Method> = {
  items: (d: unknown) => mappingKeys(d).map((k) => tuple([k, mappingGet(d, k).value])),
  keys: (d: unknown) => mappingKeys(d),
  values: (d: unknown) => mappingKeys(d).map((k) => mappingGet(d, k).value),
  get: (d: unknown, k: unknown, dflt: unknown = null) => {
    const r = mappingGet(d, pyKey(k));
    return r.found ? r.value : dflt;
  },
  copy: (d: unknown) => Object.fromEntries(mappingKeys(d).map((k) => [k, mappingGet(d, k).value])),
  update: (d: Record<string, unknown>, other: unknown) => {
    if (isVarSource(d)) throw new TemplateError('this mapping is read-only');
    for (const k of mappingKeys(other)) d[k] = mappingGet(other, k).value;
  },
  setdefault: (d: Record<string, unknown>, k: unknown, v: unknown = null) => {
    const key = pyKey(k);
    if (!(key in d)) d[key] = v;
    return d[key];
  },
  pop: (d: Record<string, unknown>, k: unknown, dflt?: unknown) => {
    const key = pyKey(k);
    if (!(key in d)) {
      if (dflt === undefined) throw new TemplateError(`KeyError: ${pyStr(k)}`);
      return dflt;
    }
    const v = d[key];
    delete d[key];
    return v;
  },
};

/** The Python method `name` bound to `obj`, when obj's Python type has one. */
export function pyMethod(obj: unknown, name: string): ((...args: unknown[]) => unknown) | undefined {
  const table = typeof obj === 'string' ? STR : Array.isArray(obj) ? LIST : isMapping(obj) ? DICT : undefined;
  const m = table && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  return m ? (...args: unknown[]) => m(obj as never, ...args) : undefined;
}
