import { TemplateError } from '../../errors/index.js';
import { pyStr } from '../python/repr.js';
import { isNumber, num } from '../python/values.js';
import { parseIp, formatIp, networkOf, broadcastOf, sizeOf, netmaskOf, hostMask, maxIp, type IpNet } from './ip.js';
import type { FilterTable } from './types.js';

/* ansible.utils.ipaddr and friends (netaddr semantics), the subset Kubespray-style roles use. */

type VType = 'address' | 'network';
type Query = (v: IpNet, vtype: VType, value: string) => unknown;

const str = (v: IpNet) => `${formatIp(v.ip, v.version)}/${v.prefix}`;
const ipOf = (v: IpNet) => formatIp(v.ip, v.version);
const size = (v: IpNet) => sizeOf(v);
const isNet = (v: IpNet) => v.ip === networkOf(v);

function nth(v: IpNet, n: number): string | undefined {
  const s = size(v);
  const i = n < 0 ? s + BigInt(n) : BigInt(n);
  if (i < 0n || i >= s) return undefined;
  return formatIp(networkOf(v) + i, v.version);
}

const QUERIES: Record<string, Query> = {
  '': (v, t) => (t === 'address' ? ipOf(v) : str(v)),
  address: (v) => (size(v) === 1n || !isNet(v) || size(v) <= 2n || v.version === 6 ? ipOf(v) : null),
  ip: (v) => QUERIES.address?.(v, 'address', ''),
  broadcast: (v) => (size(v) > 2n ? formatIp(broadcastOf(v), v.version) : null),
  cidr: (v) => str(v),
  host: (v) => (size(v) === 1n ? str(v) : !isNet(v) || size(v) <= 2n ? `${ipOf(v)}/${v.prefix}` : null),
  net: (v) => (size(v) > 1n && isNet(v) ? `${formatIp(networkOf(v), v.version)}/${v.prefix}` : null),
  netmask: (v) => formatIp(netmaskOf(v), v.version),
  hostmask: (v) => formatIp(hostMask(v), v.version),
  network: (v) => formatIp(networkOf(v), v.version),
  prefix: (v) => v.prefix,
  size: (v) => Number(size(v)),
  subnet: (v) => `${formatIp(networkOf(v), v.version)}/${v.prefix}`,
  'network/prefix': (v) => `${formatIp(networkOf(v), v.version)}/${v.prefix}`,
  type: (v) => (size(v) === 1n || !isNet(v) ? 'address' : 'network'),
  version: (v) => v.version,
  int: (v, t) => (t === 'address' ? Number(v.ip) : `${Number(v.ip)}/${v.prefix}`),
  first_usable: (v, t) => usable(v, t, 'first'),
  last_usable: (v, t) => usable(v, t, 'last'),
  wrap: (v, t, value) => (v.version === 6 ? (t === 'address' ? `[${ipOf(v)}]` : `[${ipOf(v)}]/${v.prefix}`) : value),
  ipv4: (v, _t, value) => (v.version === 4 ? value : false),
  ipv6: (v, _t, value) => (v.version === 6 ? value : false),
  private: (v, _t, value) => (isPrivate(v) ? value : null),
  public: (v, _t, value) => (!isPrivate(v) ? value : null),
};

function usable(v: IpNet, t: VType, which: 'first' | 'last'): string | null {
  if (t === 'address') throw new TemplateError('Not a network address');
  const s = size(v);
  if (s <= 1n) return null;
  const first = s === 2n ? networkOf(v) : networkOf(v) + 1n;
  const last = s === 2n ? broadcastOf(v) : broadcastOf(v) - 1n;
  return formatIp(which === 'first' ? first : last, v.version);
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'].map((n) => parseIp(n) as IpNet);
function isPrivate(v: IpNet): boolean {
  return PRIVATE.some((p) => p.version === v.version && networkOf({ ...v, prefix: p.prefix }) === networkOf(p));
}

function parseValue(value: unknown): { v: IpNet; vtype: VType; text: string } | undefined {
  const text = pyStr(value);
  if (/^\d+$/.test(text)) {
    const n = BigInt(text);
    if (n > maxIp(6)) return undefined;
    const version = n <= maxIp(4) ? 4 : 6;
    const v: IpNet = { version, ip: n, prefix: version === 4 ? 32 : 128, hasPrefix: false };
    return { v, vtype: 'address', text: str(v) };
  }
  const v = parseIp(text);
  return v && { v, vtype: v.hasPrefix ? 'network' : 'address', text };
}

/** netaddr's `v in IPSet([net])`: the whole of v lies inside net (same IP version). */
function contains(net: IpNet, v: IpNet): boolean {
  if (net.version !== v.version) return false;
  const first = networkOf(net);
  const last = first + sizeOf(net) - 1n;
  const vFirst = networkOf(v);
  return vFirst >= first && vFirst + sizeOf(v) - 1n <= last;
}

/**
 * Like ansible.utils' ipaddr: a query that is not a query name but an address or network is a
 * cidr_lookup, answering the value when it lies inside that network and None otherwise.
 */
export function ipaddr(value: unknown, query: unknown = '', version: number | false = false): unknown {
  if (Array.isArray(value)) return value.map((x) => ipaddr(x, query, version)).filter((x) => x !== null && x !== false && x !== '');
  if (value === null || value === undefined || value === true || value === false || value === '') return false;
  const p = parseValue(value);
  if (!p) return false;
  if (version && p.v.version !== version) return false;
  const q = pyStr(query);
  const fn = Object.hasOwn(QUERIES, q) ? QUERIES[q] : undefined;
  if (fn) return fn(p.v, p.vtype, p.text) ?? null;
  const within = q && !/^\d+$/.test(q) ? parseValue(q) : undefined;
  if (within) return contains(within.v, p.v) ? p.text : null;
  if (isNumber(query) || /^-?\d+$/.test(q)) {
    if (size(p.v) === 1n) return p.vtype === 'address' ? ipOf(p.v) : str(p.v);
    const h = nth(p.v, isNumber(query) ? num(query) : Number(q));
    return h === undefined ? false : `${h}/${p.v.prefix}`;
  }
  throw new TemplateError(`ipaddr: unknown filter type: ${q}`);
}

function nthhost(value: unknown, query: unknown): unknown {
  const p = parseValue(value);
  if (!p || query === undefined || query === '' || query === null) return false;
  return nth(p.v, num(typeof query === 'string' ? Number(query) : query)) ?? false;
}

function ipmath(value: unknown, amount: unknown): string {
  const p = parseIp(pyStr(value));
  if (!p) throw new TemplateError(`You must pass a valid IP address; ${pyStr(value)} is invalid`);
  if (typeof amount !== 'number' || !Number.isInteger(amount)) {
    throw new TemplateError(`You must pass an integer for arithmetic; ${pyStr(amount)} is not a valid integer`);
  }
  const r = p.ip + BigInt(amount);
  if (r < 0n || r > maxIp(p.version)) throw new TemplateError(`IP arithmetic result is out of range`);
  return formatIp(r, p.version);
}

/** ipwrap: IPv6 addresses get brackets; anything else (names, IPv4) passes through. */
function ipwrap(value: unknown, query: unknown = ''): unknown {
  if (Array.isArray(value)) return value.map((x) => ipwrap(x, query));
  const p = parseValue(value);
  if (!p) return value;
  const r = ipaddr(value, query);
  if (r === null || r === false) return value;
  return p.v.version === 6 ? QUERIES.wrap?.(p.v, p.vtype, pyStr(value)) : r;
}

export const netFilters: FilterTable = {
  ipaddr: (v, q) => ipaddr(v, q ?? ''),
  ipv4: (v, q) => ipaddr(v, q ?? '', 4),
  ipv6: (v, q) => ipaddr(v, q ?? '', 6),
  ipwrap,
  nthhost,
  ipmath,
  ipsubnet: (v, q) => {
    const p = parseValue(v);
    if (!p) return false;
    if (q === undefined) return QUERIES.subnet?.(p.v, p.vtype, p.text);
    throw new TemplateError('ipsubnet with a query is not supported by tsplay yet');
  },
};
