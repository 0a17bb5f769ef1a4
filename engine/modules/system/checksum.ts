import type { ChecksumAlgorithm } from '../remote-file/probe.js';

/** get_url's `checksum: ALGO:VALUE` or `ALGO:URL-of-a-checksum-file`. */
export type ChecksumSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'value'; readonly algorithm: ChecksumAlgorithm; readonly value: string }
  | { readonly kind: 'url'; readonly algorithm: ChecksumAlgorithm; readonly url: string };

const ALGOS: readonly ChecksumAlgorithm[] = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

export function parseChecksumArg(v: string | undefined): ChecksumSpec | string {
  if (v === undefined || v === '') return { kind: 'none' };
  const i = v.indexOf(':');
  if (i < 0) return "The checksum parameter has to be in format <algorithm>:<checksum>";
  const algorithm = v.slice(0, i).toLowerCase() as ChecksumAlgorithm;
  if (!ALGOS.includes(algorithm)) return `Unsupported hash algorithm: ${algorithm}`;
  const rest = v.slice(i + 1);
  if (/^(https?|ftp|file):\/\//.test(rest)) return { kind: 'url', algorithm, url: rest };
  return { kind: 'value', algorithm, value: normalizeDigest(rest) };
}

/** Like ansible: strip non-word characters (zero-width spaces...) and lower-case. */
export function normalizeDigest(s: string): string {
  return s.replace(/\W+/g, '').toLowerCase();
}

/** The last path segment of a URL, without query (ansible's url_filename; 'index.html' when empty). */
export function urlFilename(url: string): string {
  const path = url.replace(/[?#].*$/, '').replace(/^[a-z]+:\/\/[^/]*/i, '');
  const name = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  return name === '' ? 'index.html' : name;
}

/**
 * Finds the digest for `filename` in a checksum file like ansible's get_url: a single bare
 * digest is used as-is; otherwise lines are `DIGEST  NAME` (NAME may start with '*' or './').
 */
export function digestFromLines(text: string, filename: string): string | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  if (lines.length === 1 && lines[0]!.trim().split(/\s+/).length === 1) return normalizeDigest(lines[0]!);
  for (const line of lines) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2) continue;
    let name = parts.slice(1).join(' ');
    if (name.startsWith('*')) name = name.slice(1);
    if (name.startsWith('./')) name = name.slice(2);
    if (name === filename) return normalizeDigest(parts[0]!);
  }
  return undefined;
}
