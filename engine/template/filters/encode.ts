import { createHash } from 'node:crypto';
import { TemplateError } from '../../errors/index.js';
import { pyStr } from '../python/repr.js';
import type { FilterTable } from './types.js';

const HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

function hash(v: unknown, algo: unknown = 'sha1'): string {
  const a = pyStr(algo);
  if (!HASHES.has(a)) throw new TemplateError(`unsupported hash type ${a}`);
  return createHash(a).update(pyStr(v), 'utf8').digest('hex');
}

export const encodeFilters: FilterTable = {
  b64encode: (v) => Buffer.from(pyStr(v), 'utf8').toString('base64'),
  b64decode: (v) => Buffer.from(pyStr(v), 'base64').toString('utf8'),
  hash: (v, algo) => hash(v, algo),
  checksum: (v) => hash(v, 'sha1'),
  md5: (v) => hash(v, 'md5'),
  sha1: (v) => hash(v, 'sha1'),
  urlencode: (v) => encodeURIComponent(pyStr(v)).replace(/%2F/g, '/'),
};
