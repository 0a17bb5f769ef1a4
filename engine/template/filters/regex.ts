import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { truthy } from '../python/ops.js';
import { pyStr } from '../python/repr.js';
import { tuple } from '../python/values.js';
import type { FilterTable } from './types.js';

/** Translates a Python `re` pattern to a JS RegExp (named groups, \A, \Z, inline flags). */
export function pyRegex(pattern: string, flags: { ignorecase?: boolean; multiline?: boolean; global?: boolean }): RegExp {
  let src = pattern
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  let f = 'u';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    if (inline[1]?.includes('i')) f += 'i';
    if (inline[1]?.includes('m')) f += 'm';
    if (inline[1]?.includes('s')) f += 's';
  }
  if (flags.ignorecase && !f.includes('i')) f += 'i';
  if (flags.multiline && !f.includes('m')) f += 'm';
  if (flags.global) f += 'g';
  try {
    return new RegExp(src, f);
  } catch {
    try {
      return new RegExp(src, f.replace('u', ''));
    } catch (e) {
      throw new TemplateError(`invalid regular expression ${pattern}: ${(e as Error).message}`);
    }
  }
}

/** Python replacement syntax (\1, \g<1>, \g<name>, \n) expanded for one match. */
function expand(repl: string, m: RegExpExecArray | string[], groups: Record<string, string> | undefined): string {
  return repl.replace(/\\g<(\w+)>|\\(\d{1,2})|\\(.)/g, (_x, g: string | undefined, d: string | undefined, c: string | undefined) => {
    if (g !== undefined) return /^\d+$/.test(g) ? (m[Number(g)] ?? '') : (groups?.[g] ?? '');
    if (d !== undefined) return m[Number(d)] ?? '';
    return ({ n: '\n', t: '\t', r: '\r', '\\': '\\' } as Record<string, string>)[c as string] ?? `\\${c}`;
  });
}

function regexReplace(value: unknown, ...args: unknown[]): string {
  const a = bind('regex_replace', args, ['pattern', 'replacement', 'ignorecase', 'multiline'], { pattern: '', replacement: '', ignorecase: false, multiline: false });
  const re = pyRegex(pyStr(a.pattern), { ignorecase: truthy(a.ignorecase), multiline: truthy(a.multiline), global: true });
  const repl = pyStr(a.replacement);
  return pyStr(value).replace(re, (...m: unknown[]) => {
    const last = m[m.length - 1];
    const groups = typeof last === 'object' && last !== null ? (last as Record<string, string>) : undefined;
    const caps = m.slice(0, groups ? -3 : -2).map((x) => (x === undefined ? '' : String(x)));
    return expand(repl, caps, groups);
  });
}

/** regex_search: the match (or None); with '\\1' / '\\g<name>' arguments, a list of those groups. */
function regexSearch(value: unknown, regex: unknown, ...args: unknown[]): unknown {
  const pos = args.filter((x) => !(typeof x === 'object' && x !== null && '__keywords' in x));
  const kw = (args.find((x) => typeof x === 'object' && x !== null && '__keywords' in x) ?? {}) as Record<string, unknown>;
  const re = pyRegex(pyStr(regex), { ignorecase: truthy(kw.ignorecase ?? false), multiline: truthy(kw.multiline ?? false) });
  const m = re.exec(pyStr(value));
  if (!m) return null;
  if (pos.length === 0) return m[0];
  return pos.map((p) => {
    const s = pyStr(p);
    const g = /^\\g<(\w+)>$/.exec(s);
    if (g) return /^\d+$/.test(g[1] as string) ? (m[Number(g[1])] ?? null) : (m.groups?.[g[1] as string] ?? null);
    const d = /^\\(\d+)$/.exec(s);
    if (d) return m[Number(d[1])] ?? null;
    throw new TemplateError('Unknown argument');
  });
}

function regexFindall(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind('regex_findall', args, ['regex', 'multiline', 'ignorecase'], { multiline: false, ignorecase: false });
  const re = pyRegex(pyStr(a.regex), { ignorecase: truthy(a.ignorecase), multiline: truthy(a.multiline), global: true });
  return [...pyStr(value).matchAll(re)].map((m) => {
    if (m.length === 1) return m[0];
    if (m.length === 2) return m[1] ?? '';
    return tuple(m.slice(1).map((x) => x ?? ''));
  });
}

/** Python 3.7+ re.escape: only regex metacharacters and whitespace get a backslash. */
export function regexEscape(value: unknown): string {
  return pyStr(value).replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => '\\' + c);
}

export const regexFilters: FilterTable = {
  regex_replace: regexReplace,
  regex_search: regexSearch,
  regex_findall: regexFindall,
  regex_escape: (v, ...args: unknown[]) => {
    const { re_type: reType } = bind('regex_escape', args, ['re_type'], { re_type: 'python' });
    // like ansible 2.14: posix_extended is refused with its own message
    if (reType === 'python') return regexEscape(v);
    if (reType === 'posix_basic') return pyStr(v).replace(/[.[\]\\*^$]/g, (c) => '\\' + c);
    if (reType === 'posix_extended') throw new TemplateError(`Regex type (${pyStr(reType)}) not yet implemented`);
    throw new TemplateError(`Invalid regex type (${pyStr(reType)})`);
  },
};
