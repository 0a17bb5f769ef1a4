import { bind } from '../python/args.js';
import { truthy } from '../python/ops.js';
import { pyStr } from '../python/repr.js';
import { pyMethod } from '../python/methods.js';
import { format } from '../python/percent-format.js';
import { num } from '../python/values.js';
import { fromIterator, memberLookup } from '../runtime.js';
import type { FilterTable } from './types.js';

function method(name: string): (s: unknown, ...a: unknown[]) => unknown {
  return (s, ...a) => (pyMethod(pyStr(s), name) as (...x: unknown[]) => unknown)(...a);
}

/** Jinja's title(): words start after spaces, dashes and opening brackets. */
function title(s: unknown): string {
  return pyStr(s)
    .split(/([-\s({[<]+)/)
    .filter((x) => x !== '')
    .map((w) => (w[0] as string).toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

function join(value: unknown, ...args: unknown[]): string {
  const a = bind('join', args, ['d', 'attribute'], { d: '', attribute: null });
  let items = fromIterator(value);
  if (a.attribute !== null) items = items.map((x) => memberLookup(x, a.attribute));
  return items.map(pyStr).join(pyStr(a.d));
}

function indent(s: unknown, ...args: unknown[]): string {
  const a = bind('indent', args, ['width', 'first', 'blank'], { width: 4, first: false, blank: false });
  const pad = typeof a.width === 'string' ? a.width : ' '.repeat(num(a.width));
  const lines = pyStr(s).split('\n');
  return lines
    .map((l, i) => ((i === 0 && !truthy(a.first)) || (l.trim() === '' && !truthy(a.blank)) ? l : pad + l))
    .join('\n');
}

/** Python's shlex.quote, which ansible's quote filter uses. */
export function shellQuote(v: unknown): string {
  const s = v === null || v === undefined ? '' : pyStr(v);
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

function truncate(s: unknown, ...args: unknown[]): string {
  const a = bind('truncate', args, ['length', 'killwords', 'end', 'leeway'], { length: 255, killwords: false, end: '...', leeway: 5 });
  const str = pyStr(s);
  const len = num(a.length);
  const end = pyStr(a.end);
  if (str.length <= len + num(a.leeway)) return str;
  if (truthy(a.killwords)) return str.slice(0, len - end.length) + end;
  const cut = str.slice(0, len - end.length).split(' ');
  cut.pop();
  return cut.join(' ') + end;
}

export const stringFilters: FilterTable = {
  lower: (s) => pyStr(s).toLowerCase(),
  upper: (s) => pyStr(s).toUpperCase(),
  capitalize: method('capitalize'),
  title,
  trim: (s, chars?: unknown) => method('strip')(s, chars),
  replace: (s, old, nw, count?: unknown) => method('replace')(s, old, nw, ...(count === undefined ? [] : [count])),
  split: (s, sep?: unknown, max?: unknown) => method('split')(s, sep ?? null, ...(max === undefined ? [] : [max])),
  splitlines: method('splitlines'),
  join,
  indent,
  center: (s, w?: unknown) => method('center')(s, w ?? 80),
  truncate,
  wordcount: (s) => pyStr(s).split(/\s+/).filter((x) => x !== '').length,
  quote: shellQuote,
  format: (s, ...args) => format(pyStr(s), args),
};
