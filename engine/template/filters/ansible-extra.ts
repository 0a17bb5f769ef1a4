import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { search as jmesSearch } from '@jmespath-community/jmespath';
import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { pyStr } from '../python/repr.js';
import { toPlain, tuple } from '../python/values.js';
import type { FilterTable } from './types.js';

const UUID_NAMESPACE_ANSIBLE = '361E6D51-FAEC-444A-9079-341386DA8E2E';

/** Python's uuid.uuid5 (SHA-1 name-based). */
function uuid5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TemplateError(`Invalid value '${namespace}' for 'namespace': badly formed hexadecimal UUID string`);
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Python's urllib.parse.urlsplit fields, as ansible's urlsplit filter returns them. */
function urlsplit(value: unknown, query: unknown = ''): unknown {
  const text = pyStr(value);
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(text)!;
  const netloc = m[2] ?? '';
  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : '';
  const hostport = at >= 0 ? netloc.slice(at + 1) : netloc;
  const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  const host = pm?.[1] ?? '';
  const parts: Record<string, unknown> = {
    fragment: m[5] ?? '', hostname: host === '' ? null : host.replace(/^\[|\]$/g, '').toLowerCase(), netloc, password: userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : null,
    path: m[3] ?? '', port: pm?.[2] ? Number(pm[2]) : null, query: m[4] ?? '', scheme: (m[1] ?? '').toLowerCase(), username: userinfo === '' ? null : userinfo.split(':')[0],
  };
  if (query === '' || query === null) return parts;
  if (!(pyStr(query) in parts)) throw new TemplateError(`urlsplit: unknown URL component: ${pyStr(query)}`);
  return parts[pyStr(query)];
}

/**
 * Like Python's jmespath (which ansible's json_query uses): a `literal` that is not valid JSON is
 * a string (`x` means "x"); the strict JMESPath parser wants `"x"`.
 */
function lenientLiterals(expr: string): string {
  return expr.replace(/`((?:[^`\\]|\\.)*)`/g, (m, body: string) => {
    const text = body.replace(/\\`/g, '`');
    try {
      JSON.parse(text);
      return m;
    } catch {
      return `\`${JSON.stringify(text.trim()).replace(/`/g, '\\`')}\``;
    }
  });
}

function notSupported(name: string, hint: string): () => never {
  return () => {
    throw new TemplateError(`the ${name} filter is not supported by tsplay`, { hint });
  };
}

/** ansible-core 2.14's filters beyond the common ones, and community.general.json_query. */
export const ansibleExtraFilters: FilterTable = {
  to_uuid: (v, namespace: unknown = UUID_NAMESPACE_ANSIBLE) => uuid5(pyStr(v), pyStr(namespace)),
  relpath: (p, start: unknown = process.cwd()) => posix.relative(pyStr(start), pyStr(p)) || '.',
  win_basename: (p) => win32.basename(pyStr(p)),
  win_dirname: (p) => win32.dirname(pyStr(p)),
  win_splitdrive: (p) => {
    const s = pyStr(p);
    const m = /^([A-Za-z]:|\\\\[^\\]+\\[^\\]+)/.exec(s);
    return tuple([m?.[1] ?? '', s.slice(m?.[1]?.length ?? 0)]);
  },
  // like ansible's fileglob filter: glob.glob of the pattern, regular files only
  fileglob: (v) => {
    const pattern = pyStr(v);
    const dir = posix.dirname(pattern);
    const re = new RegExp(`^${posix.basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names.filter((n) => re.test(n) && !n.startsWith('.')).sort().map((n) => posix.join(dir, n)).filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile());
  },
  urldecode: (v) => decodeURIComponent(pyStr(v).replace(/\+/g, ' ')),
  urlsplit,
  expandvars: (v) => pyStr(v).replace(/\$(\w+)|\$\{(\w+)\}/g, (m, a: string | undefined, b: string | undefined) => process.env[(a ?? b)!] ?? m),
  json_query: (data, expr) => jmesSearch(toPlain(data) as never, lenientLiterals(pyStr(expr))),
  vault: notSupported('vault', 'tsplay does not read or write vault data'),
  unvault: notSupported('unvault', 'tsplay does not read or write vault data'),
};
