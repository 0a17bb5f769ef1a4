import { createHash } from 'node:crypto';
import { TemplateError } from '../../errors/index.js';
import { pyStr } from '../python/repr.js';
import { bind } from '../python/args.js';
import { decodeBytes, encodeText } from '../../python/codecs.js';
import type { FilterTable } from './types.js';

const HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

function hash(v: unknown, algo: unknown = 'sha1'): string {
  const a = pyStr(algo);
  if (!HASHES.has(a)) throw new TemplateError(`unsupported hash type ${a}`);
  return createHash(a).update(pyStr(v), 'utf8').digest('hex');
}

/** like ansible's b64encode(string, encoding='utf-8') */
function codecArg(what: string, args: readonly unknown[]): string {
  return pyStr(bind(what, args, ['encoding'], { encoding: 'utf-8' }).encoding);
}

export const encodeFilters: FilterTable = {
  b64encode: (v, ...args) => {
    const encoded = encodeText(pyStr(v), codecArg('b64encode', args));
    if (!encoded.ok) throw new TemplateError(encoded.message);
    return encoded.bytes.toString('base64');
  },
  b64decode: (v, ...args) => {
    const enc = codecArg('b64decode', args);
    const text = decodeBytes(Buffer.from(pyStr(v), 'base64'), enc);
    if (text === undefined) throw new TemplateError(`unknown encoding: ${enc}`);
    return text;
  },
  hash: (v, algo) => hash(v, algo),
  checksum: (v) => hash(v, 'sha1'),
  md5: (v) => hash(v, 'md5'),
  sha1: (v) => hash(v, 'sha1'),
  urlencode: (v) => encodeURIComponent(pyStr(v)).replace(/%2F/g, '/'),
};
