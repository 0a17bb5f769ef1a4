import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { cmp, eq, truthy } from '../python/ops.js';
import { pythonRepr, pyStr } from '../python/repr.js';
import { isMapping, mappingGet, mappingKeys, num, tuple } from '../python/values.js';
import { fromIterator, memberLookup } from '../runtime.js';
import { attrGetter } from './lists.js';
import type { FilterTable } from './types.js';

/** Jinja2's groupby: (grouper, items) tuples sorted by the key; strings compare case-insensitively by default. */
function groupby(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind('groupby', args, ['attribute', 'default', 'case_sensitive'], { default: null, case_sensitive: false });
  const get = attrGetter(a.attribute);
  const raw = (x: unknown) => { const v = get(x); return v === undefined && a.default !== null ? a.default : v; };
  const key = (x: unknown) => { const v = raw(x); return !truthy(a.case_sensitive) && typeof v === 'string' ? v.toLowerCase() : v; };
  const items = [...fromIterator(value)].sort((p, q) => cmp(key(p), key(q), '<'));
  const out: { k: unknown; list: unknown[] }[] = [];
  for (const x of items) {
    const last = out[out.length - 1];
    if (last !== undefined && eq(last.k, key(x))) last.list.push(x);
    else out.push({ k: key(x), list: [x] });
  }
  // like Jinja2: without case_sensitive the grouper is the first item's own value
  return out.map((g) => tuple([raw(g.list[0]), g.list]));
}

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const escapeHtml = (v: unknown) => pyStr(v).replace(/[&<>"']/g, (c) => HTML[c]!);

/** Jinja2's slice: `n` columns of (almost) equal length, fill_with pads the short ones. */
function sliceFilter(value: unknown, slices: unknown, fill: unknown = null): unknown[][] {
  const seq = fromIterator(value);
  const n = num(slices);
  const per = Math.floor(seq.length / n);
  const extra = seq.length % n;
  const out: unknown[][] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const start = offset + i * per;
    if (i < extra) offset++;
    const tmp = seq.slice(start, offset + (i + 1) * per);
    if (fill !== null && fill !== undefined && i >= extra) tmp.push(fill);
    out.push(tmp);
  }
  return out;
}

function filesizeformat(value: unknown, binary: unknown = false): string {
  const bytes = num(value);
  const base = truthy(binary) ? 1024 : 1000;
  const prefixes = truthy(binary) ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${bytes} Bytes`;
  let unit = base;
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    if (bytes < unit) return `${((base * bytes) / unit).toFixed(1)} ${prefixes[i]}`;
  }
  return `${((base * bytes) / unit).toFixed(1)} ${prefixes[prefixes.length - 1]}`;
}

/** Jinja2's wordwrap (textwrap.wrap per paragraph, long words broken). */
function wordwrap(value: unknown, ...args: unknown[]): string {
  const a = bind('wordwrap', args, ['width', 'break_long_words', 'wrapstring', 'break_on_hyphens'], { width: 79, break_long_words: true, wrapstring: '\n', break_on_hyphens: true });
  const width = num(a.width);
  const wrapLine = (line: string): string[] => {
    const out: string[] = [];
    let cur = '';
    for (let word of line.split(/\s+/).filter((w) => w !== '')) {
      while (truthy(a.break_long_words) && word.length > width) {
        if (cur !== '') { out.push(cur); cur = ''; }
        out.push(word.slice(0, width));
        word = word.slice(width);
      }
      if (cur === '') cur = word;
      else if (cur.length + 1 + word.length <= width) cur += ` ${word}`;
      else { out.push(cur); cur = word; }
    }
    if (cur !== '') out.push(cur);
    return out;
  };
  return pyStr(value).split(/\r?\n/).map((l) => wrapLine(l).join(String(a.wrapstring))).join(String(a.wrapstring));
}

function xmlattr(value: unknown, autospace: unknown = true): string {
  const parts = mappingKeys(value).flatMap((k) => {
    const v = mappingGet(value, k).value;
    if (v === null || v === undefined) return [];
    if (/[\s/>=]/.test(k)) throw new TemplateError(`Invalid character in attribute name: '${k}'`);
    return [`${escapeHtml(k)}="${escapeHtml(v)}"`];
  });
  const s = parts.join(' ');
  return s !== '' && truthy(autospace) ? ` ${s}` : s;
}

/** Jinja2 3.1's filters that ansible content meets besides the core ones (autoescape is off in ansible). */
export const jinjaExtraFilters: FilterTable = {
  groupby,
  attr: (obj, name) => (isMapping(obj) ? undefined : memberLookup(obj, pyStr(name))),
  slice: sliceFilter,
  escape: escapeHtml,
  e: escapeHtml,
  forceescape: escapeHtml,
  safe: (v) => v,
  striptags: (v) => pyStr(v).replace(/<!--[\s\S]*?-->|<[^>]*>/g, '').replace(/\s+/g, ' ').trim(),
  filesizeformat,
  wordwrap,
  xmlattr,
  pprint: (v) => pythonRepr(v),
  tojson: (v, indent: unknown = null) => {
    const text = JSON.stringify(v, null, indent === null ? undefined : num(indent)) ?? 'null';
    return (indent === null ? text.replace(/","/g, '", "').replace(/":/g, '": ') : text).replace(/[<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  },
  urlize: () => {
    throw new TemplateError('the urlize filter is not supported by tsplay', { hint: 'write the <a> tags in the template' });
  },
};
