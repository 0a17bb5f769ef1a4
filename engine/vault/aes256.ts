import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * ansible-vault's AES256 cipher (VaultAES256 in ansible-core), byte for byte: PBKDF2-SHA256
 * with 10,000 iterations derives 80 bytes from the password and a 32-byte salt (cipher key,
 * HMAC key, counter), the PKCS7-padded plaintext is encrypted with AES-256-CTR and signed
 * with HMAC-SHA256. The result is hexlify(hexlify(salt) \n hex(hmac) \n hexlify(ciphertext)).
 */
const ITERATIONS = 10_000;
const KEY_LEN = 32;
const IV_LEN = 16;

interface Keys {
  readonly cipherKey: Buffer;
  readonly hmacKey: Buffer;
  readonly iv: Buffer;
}

function deriveKeys(password: Buffer, salt: Buffer): Keys {
  const d = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_LEN + IV_LEN, 'sha256');
  return { cipherKey: d.subarray(0, KEY_LEN), hmacKey: d.subarray(KEY_LEN, 2 * KEY_LEN), iv: d.subarray(2 * KEY_LEN) };
}

// Like ansible: PKCS7 padding to the AES block size even though CTR does not need it.
function pad(data: Buffer): Buffer {
  const n = 16 - (data.length % 16);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function unpad(data: Buffer): Buffer | undefined {
  const n = data.at(-1);
  if (n === undefined || n < 1 || n > 16 || n > data.length) return undefined;
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) return undefined;
  return data.subarray(0, data.length - n);
}

/** The hexlified vault payload (the part of the envelope below the header, without newlines). */
export function encryptPayload(plaintext: Buffer, password: Buffer, salt: Buffer = randomBytes(32)): string {
  const k = deriveKeys(password, salt);
  const c = createCipheriv('aes-256-ctr', k.cipherKey, k.iv);
  const ciphertext = Buffer.concat([c.update(pad(plaintext)), c.final()]);
  const mac = createHmac('sha256', k.hmacKey).update(ciphertext).digest('hex');
  const inner = `${salt.toString('hex')}\n${mac}\n${ciphertext.toString('hex')}`;
  return Buffer.from(inner, 'ascii').toString('hex');
}

/** Why a payload did not decrypt: a malformed payload, or (most often) the wrong password. */
export type DecryptOutcome =
  | { readonly kind: 'ok'; readonly plaintext: Buffer }
  | { readonly kind: 'format'; readonly reason: string }
  | { readonly kind: 'mismatch' };

function unhex(text: string): Buffer | undefined {
  const t = text.trim();
  return /^(?:[0-9a-fA-F]{2})*$/.test(t) ? Buffer.from(t, 'hex') : undefined;
}

function splitPayload(payload: string): { salt: Buffer; mac: Buffer; ciphertext: Buffer } | string {
  const inner = unhex(payload);
  if (inner === undefined) return 'the payload is not hexadecimal';
  const parts = inner.toString('latin1').split('\n');
  if (parts.length < 3) return 'the payload lacks its salt, HMAC or ciphertext';
  const [salt, mac, ciphertext] = [unhex(parts[0]!), unhex(parts[1]!), unhex(parts.slice(2).join('\n'))];
  if (salt === undefined || mac === undefined || ciphertext === undefined) return 'a payload part is not hexadecimal';
  return { salt, mac, ciphertext };
}

export function decryptPayload(payload: string, password: Buffer): DecryptOutcome {
  const parts = splitPayload(payload);
  if (typeof parts === 'string') return { kind: 'format', reason: parts };
  const k = deriveKeys(password, parts.salt);
  const mac = createHmac('sha256', k.hmacKey).update(parts.ciphertext).digest();
  // Constant-time comparison, like ansible's hmac.verify.
  if (mac.length !== parts.mac.length || !timingSafeEqual(mac, parts.mac)) return { kind: 'mismatch' };
  const d = createDecipheriv('aes-256-ctr', k.cipherKey, k.iv);
  const plaintext = unpad(Buffer.concat([d.update(parts.ciphertext), d.final()]));
  return plaintext === undefined ? { kind: 'format', reason: 'bad padding' } : { kind: 'ok', plaintext };
}
