import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TsplayError } from '../errors/index.js';
import type { TaskNode } from '../model/types.js';
import { parseKv } from '../model/kv-args.js';
import type { SourceLoc } from '../types/source.js';
import { pythonRepr } from '../template/index.js';

export interface LoopTemplating {
  template(value: unknown): unknown;
  findFile(name: string): string | undefined;
  filesDirs(): readonly string[];
}

function asItemsList(v: unknown, where: SourceLoc, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (what === 'loop') {
    // ansible's exact task failure message (TaskExecutor._get_loop_items), no source location
    const shown = typeof v === 'string' ? v : pythonRepr(v);
    throw new TsplayError('loop', `Invalid data passed to 'loop', it requires a list, got this instead: ${shown}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`);
  }
  throw new TsplayError('loop', `Invalid data passed to '${what}', it requires a list, got this instead: ${JSON.stringify(v)}.`, {
    where,
    hint: what === 'loop' ? 'use "loop: \"{{ mydict | dict2items }}\"" for a mapping' : 'give a list',
  });
}

/** with_items flattens one level, like ansible's items lookup. */
function flattenOnce(list: unknown[]): unknown[] {
  return list.flatMap((x) => (Array.isArray(x) ? x : [x]));
}

function sequence(spec: string): unknown[] {
  const kv = parseKv(spec);
  let start = 1;
  let end: number | undefined;
  let stride = 1;
  let format = '%d';
  const raw = kv._raw_params as string | undefined;
  if (raw) {
    const m = /^(\d+)-(\d+)(?:\/(\d+))?(?::(.+))?$/.exec(raw.trim());
    if (m) {
      start = Number(m[1]);
      end = Number(m[2]);
      stride = m[3] ? Number(m[3]) : 1;
      format = m[4] ?? format;
    }
  }
  if (kv.start !== undefined) start = Number(kv.start);
  if (kv.end !== undefined) end = Number(kv.end);
  if (kv.count !== undefined) end = start + Number(kv.count) - 1;
  if (kv.stride !== undefined) stride = Number(kv.stride);
  if (kv.format !== undefined) format = String(kv.format);
  const out: string[] = [];
  if (end === undefined) return out;
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) {
    out.push(format.replace(/%(0?\d*)([dxXos])/, (_m, width: string, conv: string) => {
      const base = conv === 'x' || conv === 'X' ? 16 : conv === 'o' ? 8 : 10;
      let s = conv === 's' ? String(i) : i.toString(base);
      if (conv === 'X') s = s.toUpperCase();
      const w = Number(width || 0);
      return s.padStart(w, width.startsWith('0') ? '0' : ' ');
    }));
  }
  return out;
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}

function fileglob(pattern: string, t: LoopTemplating): string[] {
  const dirs = pattern.startsWith('/') ? [dirname(pattern)] : t.filesDirs().map((d) => join(d, dirname(pattern)));
  const re = new RegExp(`^${basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  for (const dir of dirs) {
    try {
      const hits = readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => join(dir, f));
      if (hits.length > 0) return hits;
    } catch {
      // a missing directory just matches nothing, like ansible's fileglob
    }
  }
  return [];
}

/** with_first_found terms: a name, or a dict of `files` (and `paths`: every path × file, like ansible). */
function firstFoundNames(x: unknown): string[] {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return [String(x)];
  const split = (v: unknown, seps: RegExp) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]).flatMap((e) => String(e).split(seps)).filter((e) => e !== '');
  const files = split((x as Record<string, unknown>).files, /[,;]/);
  const paths = split((x as Record<string, unknown>).paths, /[,:;]/);
  return paths.length === 0 ? files : paths.flatMap((p) => files.map((f) => `${p.replace(/\/$/, '')}/${f}`));
}

/** The items of `loop:` or `with_<lookup>:` for one host, templated with its variables. */
export function loopItems(task: TaskNode, t: LoopTemplating): unknown[] {
  const where = task.loc;
  const lookup = task.loopLookup;
  if (lookup === undefined) return asItemsList(t.template(task.loop), where, 'loop');
  const terms = t.template(task.loop);
  switch (lookup) {
    case 'items':
      return flattenOnce(Array.isArray(terms) ? terms : [terms]);
    case 'list':
      return Array.isArray(terms) ? terms : [terms];
    case 'indexed_items':
      return flattenOnce(asItemsList(terms, where, lookup)).map((x, i) => [i, x]);
    case 'dict': {
      if (!terms || typeof terms !== 'object' || Array.isArray(terms)) throw new TsplayError('loop', 'with_dict expects a dict', { where });
      return Object.entries(terms as Record<string, unknown>).map(([key, value]) => ({ key, value }));
    }
    case 'together': {
      const lists = asItemsList(terms, where, lookup).map((l) => (Array.isArray(l) ? l : [l]));
      const n = Math.max(0, ...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
    }
    case 'nested':
    case 'cartesian':
      return product(asItemsList(terms, where, lookup).map((l) => (Array.isArray(l) ? l : [l])));
    case 'sequence':
      return (Array.isArray(terms) ? terms : [terms]).flatMap((s) => sequence(String(s)));
    case 'fileglob':
      return (Array.isArray(terms) ? terms : [terms]).flatMap((p) => fileglob(String(p), t));
    case 'subelements': {
      const [list, key, opts] = asItemsList(terms, where, lookup) as [unknown[], string, Record<string, unknown> | undefined];
      const skipMissing = opts?.skip_missing === true;
      // like ansible's subelements lookup: the sub-list is popped out of (a copy of) the parent,
      // so item.0 no longer holds it; "a.b" walks nested keys
      const path = String(key).split('.');
      return (Array.isArray(list) ? list : Object.values(list as object)).flatMap((el) => {
        const parent = structuredClone(el) as Record<string, unknown>;
        let holder: Record<string, unknown> | undefined = parent;
        for (const k of path.slice(0, -1)) holder = holder?.[k] as Record<string, unknown> | undefined;
        const last = path[path.length - 1]!;
        if (holder === undefined || holder === null || holder[last] === undefined) {
          if (skipMissing) return [];
          throw new TsplayError('loop', `could not find '${key}' key in iterated item`, { where });
        }
        const sub = holder[last];
        delete holder[last];
        return (sub as unknown[]).map((s) => [parent, s]);
      });
    }
    case 'first_found': {
      const names = (Array.isArray(terms) ? terms : [terms]).flatMap(firstFoundNames);
      const hit = names.map((n) => t.findFile(String(n))).find((p) => p !== undefined);
      if (hit === undefined) throw new TsplayError('loop', 'No file was found when using first_found.', { where, hint: `tried: ${names.join(', ')}` });
      return [hit];
    }
    default:
      throw new TsplayError('loop', `with_${lookup} is not supported by tsplay`, { where, hint: 'use loop: with a filter, or with_items/with_dict/with_nested/with_sequence/with_subelements/with_together/with_fileglob' });
  }
}
