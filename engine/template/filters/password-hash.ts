import { createHash, randomInt } from 'node:crypto';
import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { pyStr } from '../python/repr.js';
import { typeName } from '../python/values.js';
import type { FilterTable } from './types.js';

/**
 * crypt(3)'s SHA-crypt ($5$ sha256, $6$ sha512; Drepper's specification), which ansible's
 * password_hash and vars_prompt `encrypt:` use when passlib is absent (as on this machine's
 * ansible-core 2.14): the same password and salt give the same string as Python's crypt.
 */
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DEFAULT_ROUNDS = 5000;

// The byte order in which each digest is spelled out, three bytes (four characters) at a time.
const ORDER: Readonly<Record<'sha256' | 'sha512', readonly (readonly number[])[]>> = {
  sha256: [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29], [-1, 31, 30]],
  sha512: [
    [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
    [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41], [-1, -1, 63],
  ],
};

function b64(bytes: Buffer, algo: 'sha256' | 'sha512'): string {
  let out = '';
  for (const [a, b, c] of ORDER[algo]) {
    const v = ((a! < 0 ? 0 : bytes[a!]!) << 16) | ((b! < 0 ? 0 : bytes[b!]!) << 8) | bytes[c!]!;
    const n = a! >= 0 ? 4 : b! >= 0 ? 3 : 2;
    for (let i = 0, w = v; i < n; i++, w >>= 6) out += ITOA64[w & 0x3f];
  }
  return out;
}

function repeatTo(block: Buffer, len: number): Buffer {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i++) out[i] = block[i % block.length]!;
  return out;
}

/** The digest A, P sequence and S sequence of the specification (steps 1-20). */
function initial(p: Buffer, s: Buffer, algo: 'sha256' | 'sha512'): { a: Buffer; pSeq: Buffer; sSeq: Buffer } {
  const h = () => createHash(algo);
  const b = h().update(p).update(s).update(p).digest();
  const ctxA = h().update(p).update(s);
  ctxA.update(repeatTo(b, p.length));
  for (let i = p.length; i > 0; i >>= 1) ctxA.update(i & 1 ? b : p);
  const a = ctxA.digest();
  const dp = h();
  for (let i = 0; i < p.length; i++) dp.update(p);
  const ds = h();
  for (let i = 0; i < 16 + a[0]!; i++) ds.update(s);
  return { a, pSeq: repeatTo(dp.digest(), p.length), sSeq: repeatTo(ds.digest(), s.length) };
}

export function shaCrypt(password: string, salt: string, algo: 'sha256' | 'sha512', rounds?: number): string {
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const n = Math.min(999_999_999, Math.max(1000, rounds ?? DEFAULT_ROUNDS));
  const { a, pSeq, sSeq } = initial(p, s, algo);
  let c = a;
  for (let r = 0; r < n; r++) {
    const ctx = createHash(algo).update(r & 1 ? pSeq : c);
    if (r % 3 !== 0) ctx.update(sSeq);
    if (r % 7 !== 0) ctx.update(pSeq);
    c = ctx.update(r & 1 ? c : pSeq).digest();
  }
  const id = algo === 'sha512' ? '6' : '5';
  const roundsPart = rounds === undefined ? '' : `rounds=${n}$`;
  return `$${id}$${roundsPart}${s.toString('utf8')}$${b64(c, algo)}`;
}

const SCHEMES: Readonly<Record<string, 'sha256' | 'sha512'>> = { sha512: 'sha512', sha512_crypt: 'sha512', sha256: 'sha256', sha256_crypt: 'sha256' };

export function isSupportedScheme(scheme: string): boolean {
  return scheme in SCHEMES;
}

/** Like ansible's CryptHash: a random salt of [./0-9A-Za-z] when none is given (16 characters). */
export function cryptHash(password: string, scheme: string, salt?: string, saltSize = 16, rounds?: number): string {
  const algo = SCHEMES[scheme];
  if (algo === undefined) throw new TemplateError(`crypt does not support '${scheme}' algorithm (tsplay supports ${Object.keys(SCHEMES).join(', ')})`);
  if (salt !== undefined && !/^[./0-9A-Za-z]+$/.test(salt)) throw new TemplateError(`invalid characters in salt: ${salt}`);
  const s = salt ?? Array.from({ length: saltSize }, () => ITOA64[randomInt(64)]).join('');
  return shaCrypt(password, s, algo, rounds);
}

const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** ansible's password_hash(hashtype='sha512', salt=None, salt_size=None, rounds=None, ident=None). */
export const passwordHashFilters: FilterTable = {
  password_hash: (v, ...rest) => {
    const a = bind('password_hash', rest, ['hashtype', 'salt', 'salt_size', 'rounds', 'ident'], { hashtype: 'sha512', salt: null, salt_size: null, rounds: null, ident: null });
    const rounds = opt(a.rounds);
    // like Python's random_salt(salt_size): anything but an integer is a TypeError
    if (a.salt_size !== null && !(typeof a.salt_size === 'number' && Number.isInteger(a.salt_size))) {
      throw new TemplateError(`'${typeName(a.salt_size)}' object cannot be interpreted as an integer`);
    }
    return cryptHash(pyStr(v), String(a.hashtype), opt(a.salt), a.salt_size === null ? 16 : Number(a.salt_size), rounds === undefined ? undefined : Number(rounds));
  },
};
