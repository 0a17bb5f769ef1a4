/** IPv4/IPv6 addresses and networks as BigInts (what the ipaddr filters need of netaddr). */
export interface IpNet {
  readonly version: 4 | 6;
  readonly ip: bigint;
  readonly prefix: number;
  /** Whether the text had a /prefix (netaddr treats bare addresses as /32 or /128). */
  readonly hasPrefix: boolean;
}

const bits = (v: 4 | 6) => (v === 4 ? 32 : 128);

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || (s.match(/::/g) ?? []).length > 1) return undefined;
  let tail: string[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let text = s;
  if (v4) {
    const n = parseV4(v4[1] as string);
    if (n === undefined) return undefined;
    tail = [(n >> 16n).toString(16), (n & 0xffffn).toString(16)];
    text = s.slice(0, -(v4[1] as string).length) + 'x';
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const r = rest === undefined ? [] : rest === '' ? [] : rest.split(':');
  const expand = (l: string[]) => l.flatMap((g) => (g === 'x' ? tail : [g]));
  const left = expand(h);
  const right = expand(r);
  const fill = 8 - left.length - right.length;
  if (rest === undefined ? fill !== 0 : fill < 1) return undefined;
  const groups = [...left, ...Array(rest === undefined ? 0 : fill).fill('0'), ...right];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function parseIp(text: string): IpNet | undefined {
  const [addr, pfx, extra] = text.trim().split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const v4 = parseV4(addr);
  const version: 4 | 6 = v4 !== undefined ? 4 : 6;
  const ip = v4 ?? parseV6(addr);
  if (ip === undefined) return undefined;
  let prefix = bits(version);
  if (pfx !== undefined) {
    if (/^\d+$/.test(pfx)) prefix = Number(pfx);
    else {
      const mask = version === 4 ? parseV4(pfx) : undefined; // a netmask instead of a length
      if (mask === undefined) return undefined;
      prefix = mask.toString(2).replace(/0+$/, '').length;
    }
    if (prefix > bits(version)) return undefined;
  }
  return { version, ip, prefix, hasPrefix: pfx !== undefined };
}

export function formatIp(ip: bigint, version: 4 | 6): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_x, i) => ((ip >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // RFC 5952: the longest run (2+) of zero groups becomes ::
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export const hostMask = (n: IpNet) => (1n << BigInt(bits(n.version) - n.prefix)) - 1n;
export const networkOf = (n: IpNet) => n.ip & ~hostMask(n) & ((1n << BigInt(bits(n.version))) - 1n);
export const broadcastOf = (n: IpNet) => networkOf(n) | hostMask(n);
export const sizeOf = (n: IpNet) => hostMask(n) + 1n;
export const netmaskOf = (n: IpNet) => ((1n << BigInt(bits(n.version))) - 1n) ^ hostMask(n);
export const maxIp = (v: 4 | 6) => (1n << BigInt(bits(v))) - 1n;
