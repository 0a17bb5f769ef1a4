import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { pyStr } from '../python/repr.js';
import { fromIterator } from '../runtime.js';
import { tuple, typeName } from '../python/values.js';
import { TemplateError } from '../../errors/index.js';
import type { FilterTable } from './types.js';

/** os.path.basename: the part after the last slash ('' for a trailing slash). */
function basename(v: unknown): string {
  const s = pyStr(v);
  return s.slice(s.lastIndexOf('/') + 1);
}

/** os.path.dirname: everything before the last slash, trailing slashes trimmed unless root. */
function dirname(v: unknown): string {
  const s = pyStr(v);
  const head = s.slice(0, s.lastIndexOf('/') + 1);
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head;
}

function splitext(v: unknown): unknown {
  const s = pyStr(v);
  const base = basename(s);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return tuple([s, '']);
  const cut = s.length - (base.length - dot);
  return tuple([s.slice(0, cut), s.slice(cut)]);
}

export const pathFilters: FilterTable = {
  basename,
  dirname,
  splitext,
  realpath: (v) => {
    try {
      return realpathSync(pyStr(v));
    } catch {
      return resolve(pyStr(v));
    }
  },
  expanduser: (v) => pyStr(v).replace(/^~(?=\/|$)/, homedir()),
  path_join: (v) => {
    // like ansible: a string is one path, a sequence is joined, anything else is refused
    if (typeof v === 'string') return v;
    if (!Array.isArray(v)) throw new TemplateError(`|path_join expects string or sequence, got <class '${typeName(v)}'> instead.`);
    const parts = v.map(pyStr);
    return parts.reduce((acc, p) => (p.startsWith('/') || acc === '' ? p : acc.endsWith('/') ? acc + p : `${acc}/${p}`), '');
  },
};
