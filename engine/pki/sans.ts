import { isIP } from 'node:net';

/**
 * Subject Alternative Name rules (kubeadm's certlist "config mutators" as plain functions).
 * IPs are compared in canonical byte form so "::1" and "0:0:0:0:0:0:0:1" are the same SAN.
 */

export interface SanSet {
  readonly dns: readonly string[];
  readonly ips: readonly string[];
}

export interface NodeAddr {
  readonly name: string;
  readonly ip: string;
}

export interface ApiserverSanInput {
  readonly node: NodeAddr;
  /** Other control planes: Kubespray puts every control plane's name and IP into the apiserver cert. */
  readonly controlPlanes: readonly NodeAddr[];
  readonly dnsDomain: string;
  /** Comma-separated for dual stack, like kubeadm's serviceSubnet. */
  readonly serviceSubnet: string;
  /** host or host:port; the host part becomes a SAN. */
  readonly controlPlaneEndpoint?: string;
  readonly extraSans: readonly string[];
}

/** Splits mixed names/addresses into DNS and IP SANs, dropping duplicates, keeping first-seen order. */
export function sanSet(values: readonly string[]): SanSet {
  const dns: string[] = [];
  const ips: string[] = [];
  const seen = new Set<string>();
  for (const raw of values) {
    const v = raw.trim();
    if (v === '') continue;
    const key = isIP(v) ? `ip:${ipKey(v)}` : `dns:${v.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (isIP(v) ? ips : dns).push(v);
  }
  return { dns, ips };
}

export function apiserverSans(input: ApiserverSanInput): SanSet {
  const d = input.dnsDomain;
  const serviceIps = input.serviceSubnet.split(',').map((s) => firstServiceIp(s.trim()));
  const endpointHost = input.controlPlaneEndpoint ? hostOfEndpoint(input.controlPlaneEndpoint) : undefined;
  return sanSet([
    input.node.name,
    'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${d}`,
    ...serviceIps,
    input.node.ip,
    ...input.controlPlanes.flatMap((n) => [n.name, n.ip]),
    ...(endpointHost ? [endpointHost] : []),
    ...input.extraSans,
  ]);
}

/** kubeadm etcd/server and etcd/peer: the node name, its IP, localhost, 127.0.0.1, ::1. */
export function etcdMemberSans(node: NodeAddr, extra: readonly string[] = []): SanSet {
  return sanSet([node.name, 'localhost', node.ip, '127.0.0.1', '::1', ...extra]);
}

/** Kubespray's openssl.conf alt_names: every etcd member, localhost, loopbacks and etcd_cert_alt_names. */
export function etcdHostSans(members: readonly NodeAddr[], extra: readonly string[]): SanSet {
  return sanSet(['localhost', ...members.map((m) => m.name), ...extra, '127.0.0.1', '::1', ...members.map((m) => m.ip)]);
}

/** True when `have` contains every SAN of `want` (extra SANs in an existing cert are fine, like kubeadm). */
export function sansCover(have: SanSet, want: SanSet): boolean {
  const dns = new Set(have.dns.map((d) => d.toLowerCase()));
  const ips = new Set(have.ips.map(ipKey));
  return want.dns.every((d) => dns.has(d.toLowerCase())) && want.ips.every((i) => ips.has(ipKey(i)));
}

export function hostOfEndpoint(endpoint: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(endpoint);
  if (bracketed) return bracketed[1] as string;
  if (isIP(endpoint) === 6) return endpoint;
  return endpoint.replace(/:\d+$/, '');
}

/** The first usable address of the service CIDR: kubeadm gives it to the `kubernetes` Service. */
export function firstServiceIp(cidr: string): string {
  const [addr, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!addr || !isIP(addr) || !Number.isInteger(bits)) throw new Error(`invalid service subnet ${JSON.stringify(cidr)}`);
  const bytes = ipBytes(addr);
  const total = bytes.length * 8;
  let n = bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  const hostBits = BigInt(total - bits);
  n = ((n >> hostBits) << hostBits) + 1n;
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) out.unshift(Number((n >> BigInt(8 * i)) & 0xffn));
  return ipFromBytes(out);
}

export function ipKey(ip: string): string {
  return Buffer.from(ipBytes(ip)).toString('hex');
}

export function ipBytes(ip: string): number[] {
  if (isIP(ip) === 4) return ip.split('.').map(Number);
  if (isIP(ip) !== 6) throw new Error(`not an IP address: ${ip}`);
  const [head = '', tail] = ip.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

function ipFromBytes(bytes: readonly number[]): string {
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
