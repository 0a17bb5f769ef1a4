import type { Facts, Sections } from './parse-system.js';

type Iface = Record<string, unknown>;

const IF_TYPES: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' };

function ipv4Bits(addr: string): number {
  return addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

function ipv4Text(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** address/prefix → ansible's {address, broadcast, netmask, network, prefix} (prefix a string). */
export function ipv4Info(address: string, prefix: string, broadcast: string): Record<string, string> {
  const mask = prefix === '0' ? 0 : (0xffffffff - (2 ** (32 - Number(prefix)) - 1)) >>> 0;
  const network = (ipv4Bits(address) & mask) >>> 0;
  return { address, broadcast, netmask: ipv4Text(mask), network: ipv4Text(network), prefix };
}

/** `ip route get` → {interface, address, gateway} like ansible's get_default_interfaces. */
function defaultRoute(text: string | undefined, probe: string): Record<string, unknown> {
  const words = (text ?? '').split('\n')[0].trim().split(/\s+/);
  const out: Record<string, unknown> = {};
  if (words[0] !== probe) return out;
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i] === 'dev') out.interface = words[i + 1];
    else if (words[i] === 'src') out.address = words[i + 1];
    else if (words[i] === 'via' && words[i + 1] !== probe) out.gateway = words[i + 1];
  }
  return out;
}

/** One line of the sysnet section: name mac mtu operstate type flags speed kind pciid. */
function sysIface(line: string): [string, Iface] {
  const [name, mac, mtu, oper, type, flags, speed, kind, pci] = line.trim().split(/\s+/);
  const i: Iface = { device: name };
  if (mac && mac !== '-' && mac !== '00:00:00:00:00:00') i.macaddress = mac;
  if (mtu && mtu !== '-') i.mtu = Number(mtu);
  if (oper && oper !== '-') i.active = oper !== 'down';
  if (type && type !== '-') i.type = IF_TYPES[type] ?? 'unknown';
  if (kind === 'bridge' || kind === 'bonding') i.type = kind;
  if (pci && pci !== '-') i.pciid = pci;
  if (speed && /^-?\d+$/.test(speed)) i.speed = Number(speed);
  if (flags && flags !== '-') i.promisc = (parseInt(flags, 16) & 0x100) > 0;
  return [name, i];
}

interface AddrContext {
  readonly ifaces: Map<string, Iface>;
  readonly def4: Record<string, unknown>;
  readonly def6: Record<string, unknown>;
  readonly all4: string[];
  readonly all6: string[];
}

function addInet(ctx: AddrContext, device: string, words: string[]): void {
  const [address, prefix = '32'] = words[1].split('/');
  const brd = words[2] === 'brd' ? words[3] : '';
  const info = ipv4Info(address, prefix, brd);
  const label = words[words.length - 1];
  const owner = ctx.ifaces.get(label) ?? ctx.ifaces.get(device) ?? {};
  if (!ctx.ifaces.has(label) && label !== device) ctx.ifaces.set(label, owner);
  if (!words.includes('secondary') && owner.ipv4 === undefined) owner.ipv4 = info;
  else ((owner.ipv4_secondaries ??= []) as unknown[]).push(info);
  const dev = ctx.ifaces.get(device) ?? {};
  if (ctx.def4.address === address) {
    Object.assign(ctx.def4, { broadcast: brd, netmask: info.netmask, network: info.network, prefix, alias: label });
    Object.assign(ctx.def4, { macaddress: dev.macaddress ?? 'unknown', mtu: dev.mtu, type: dev.type ?? 'unknown' });
  }
  if (!address.startsWith('127.')) ctx.all4.push(address);
}

function addInet6(ctx: AddrContext, device: string, words: string[]): void {
  const peer = words[2] === 'peer';
  const address = peer ? words[1] : words[1].split('/')[0];
  const prefix = (peer ? words[3] : words[1]).split('/')[1] ?? '128';
  const scope = peer ? words[5] : words[3];
  const dev = ctx.ifaces.get(device) ?? {};
  ((dev.ipv6 ??= []) as unknown[]).push({ address, prefix, scope });
  if (ctx.def6.address === address) {
    Object.assign(ctx.def6, { prefix, scope, macaddress: dev.macaddress ?? 'unknown', mtu: dev.mtu, type: dev.type ?? 'unknown' });
  }
  if (address !== '::1') ctx.all6.push(address);
}

/** Walks `ip addr show`: a header line per device, then indented inet/inet6 lines. */
function parseIpAddr(text: string, ctx: AddrContext): void {
  let device = '';
  for (const line of text.split('\n')) {
    const head = /^\d+:\s+([^:@\s]+)(?:@\S+)?:/.exec(line);
    if (head) {
      device = head[1];
      continue;
    }
    const words = line.trim().split(/\s+/);
    if (!device || !ctx.ifaces.has(device)) continue;
    if (words[0] === 'inet') addInet(ctx, device, words);
    else if (words[0] === 'inet6') addInet6(ctx, device, words);
  }
}

/** interfaces, per-interface facts, default_ipv4/6 and all_ipv4/6_addresses, in ansible's shapes. */
export function networkFacts(s: Sections): Facts {
  const sysnet = (s.get('sysnet') ?? '').split('\n').filter((l) => l.trim() !== '');
  const ifaces = new Map(sysnet.filter((l) => !l.startsWith('@')).map(sysIface));
  for (const l of sysnet.filter((x) => x.startsWith('@bridge '))) {
    const [, name, id, stp, ...members] = l.trim().split(/\s+/);
    Object.assign(ifaces.get(name) ?? {}, { id: id === '-' ? '' : id, stp: stp === '1', interfaces: members });
  }
  const ctx: AddrContext = {
    ifaces,
    def4: defaultRoute(s.get('route4'), '8.8.8.8'),
    def6: defaultRoute(s.get('route6'), '2404:6800:400a:800::1012'),
    all4: [],
    all6: [],
  };
  parseIpAddr(s.get('ipaddr') ?? '', ctx);
  const out: Facts = {
    interfaces: [...ifaces.keys()].map((n) => n.replace(/:/g, '_')),
    default_ipv4: ctx.def4,
    default_ipv6: ctx.def6,
    all_ipv4_addresses: ctx.all4,
    all_ipv6_addresses: ctx.all6,
  };
  for (const [name, info] of ifaces) out[name.replace(/:/g, '_')] = info;
  return out;
}
