/**
 * Host names with optional :port and [a:b] ranges, following ansible's
 * parsing/utils/addresses.py (parse_address) and plugins/inventory expand_hostname_range.
 */

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const V6 = `(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const V4 = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${ALNUM_RANGE})(?:[\p{L}\p{N}_-]|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
export const IPV4 = new RegExp(`^(?:${V4}\\.){3}${V4}$`, 'i');
export const IPV6 = new RegExp(
  '^(?:' + [
    `(?:${V6}:){7}${V6}`, `(?:${V6}:){1,6}:`, `(?:${V6}:)(?::${V6}){1,6}`,
    `(?:${V6}:){2}(?::${V6}){1,5}`, `(?:${V6}:){3}(?::${V6}){1,4}`, `(?:${V6}:){4}(?::${V6}){1,3}`,
    `(?:${V6}:){5}(?::${V6}){1,2}`, `(?:${V6}:){6}(?::${V6})`, `:(?::${V6}){1,6}`, `${V6}?::`,
    `(?:0:){6}(?:${V6}\\.){3}${V6}`, `::(?:ffff:)?(?:${V6}\\.){3}${V6}`, `(?:0:){5}ffff:(?:${V6}\\.){3}${V6}`,
  ].join('|') + ')$', 'i');
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu');
/**
 * A plain ASCII name (`localhost`, `node1.example.com`, `10.0.0.1`): every match is also an
 * IPV4 or HOSTNAME match, and it spares the common case compiling the IPv6 and Unicode
 * patterns, which costs milliseconds at start-up (issue 17).
 */
const PLAIN_NAME = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)*$/i;

/** parse_address(address, allow_ranges=True): [host, port] or null when not a host identifier. */
export function parseAddress(address: string): { host: string; port: number | undefined } | null {
  let addr = address;
  let port: number | undefined;
  // like ansible, both forms are tried in turn ([h]:p first, then h:p on what is left)
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(addr);
    if (m !== null) {
      addr = m[1] as string;
      port = Number(m[2]);
    }
  }
  if (PLAIN_NAME.test(addr) || IPV4.test(addr) || IPV6.test(addr) || HOSTNAME.test(addr)) return { host: addr, port };
  return null;
}

export class RangeError_ extends Error {}

/** A host key from an inventory: names it expands to and the port it carries. */
export function expandHostPattern(pattern: string): { hostnames: string[]; port: number | undefined } {
  const parsed = parseAddress(pattern);
  const name = parsed?.host ?? pattern;
  const port = parsed?.port;
  return { hostnames: name.includes('[') ? expandHostnameRange(name) : [name], port };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** expand_hostname_range: the first [beg:end(:step)] expands, the rest recursively. */
export function expandHostnameRange(line: string): string[] {
  const parts = line.replace('[', '|').replace(']', '|').split('|');
  if (parts.length !== 3) throw new RangeError_(`unbalanced range in '${line}'`);
  const [head, nrange, tail] = parts as [string, string, string];
  const bounds = nrange.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new RangeError_('host range must be begin:end or begin:end:step');
  const beg = bounds[0] === '' ? '0' : (bounds[0] as string);
  const end = bounds[1] as string;
  const step = bounds.length === 3 ? pyInt(bounds[2] as string) : 1;
  if (end === '') throw new RangeError_('host range must specify end value');
  let fill = (x: string | number): string => String(x);
  if (beg[0] === '0' && beg.length > 1) {
    if (beg.length !== end.length) throw new RangeError_('host range must specify equal-length begin and end formats');
    fill = (x) => String(x).padStart(beg.length, '0');
  }
  const seq = alphaOrNumericSeq(beg, end, step);
  const out: string[] = [];
  for (const item of seq) {
    const name = `${head}${fill(item)}${tail}`;
    if (name.includes('[')) out.push(...expandHostnameRange(name));
    else out.push(name);
  }
  return out;
}

function alphaOrNumericSeq(beg: string, end: string, step: number): Array<string | number> {
  if (step === 0) throw new RangeError_('range step must not be zero');
  const ib = LETTERS.indexOf(beg);
  const ie = LETTERS.indexOf(end);
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw new RangeError_('host range must have begin <= end');
    if (step < 0) return [];
    const out: string[] = [];
    for (let i = ib; i <= ie; i += step) out.push(LETTERS[i] as string);
    return out;
  }
  const b = pyInt(beg);
  const e = pyInt(end);
  const out: number[] = [];
  // Python range(b, e + 1, step): empty when begin > end
  for (let i = b; step > 0 ? i < e + 1 : i > e + 1; i += step) out.push(i);
  return out;
}

function pyInt(s: string): number {
  if (!/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(s)) throw new RangeError_(`invalid literal for int() with base 10: '${s}'`);
  return Number(s.replace(/_/g, ''));
}
