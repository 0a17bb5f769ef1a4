import { createPrivateKey, createPublicKey, generateKeyPair, generatePrime, type KeyObject } from 'node:crypto';

function generatePrimeAsync(bits: number): Promise<bigint> {
  return new Promise((resolve, reject) => {
    generatePrime(bits, { bigint: true }, (err, prime) => (err ? reject(err) : resolve(prime)));
  });
}

/**
 * RSA keys from Node's crypto (OpenSSL on libuv's thread pool, several in parallel); node-forge's
 * pure-JS generation takes ~0.5-2 s per 2048-bit key. We ask OpenSSL for the two primes and
 * assemble the key ourselves: OpenSSL 3's RSA keygen goes through its FIPS 186-4 path, measured
 * here at ~2x the time of two BN_generate_prime calls (147 ms vs 72 ms per 2048-bit key), and the
 * whole-cluster tree needs ~37 keys. The primes have their top two bits set (OpenSSL's
 * BN_RAND_TOP_TWO), so n is exactly `bits` long; e = 65537; d = e^-1 mod lcm(p-1, q-1) as OpenSSL.
 * PEM forms match kubeadm: private keys PKCS#1 "RSA PRIVATE KEY", public keys PKIX "PUBLIC KEY".
 */
export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly privatePem: string;
  readonly publicPem: string;
}

export const DEFAULT_RSA_BITS = 2048;
const E = 65537n;

/** 'primes' (default, see above) or 'openssl' (OpenSSL's own RSA keygen: slower, kept as the reference path). */
export type KeyGenMethod = 'primes' | 'openssl';

export async function generateRsaKey(bits: number = DEFAULT_RSA_BITS, method: KeyGenMethod = 'primes'): Promise<KeyPair> {
  if (method === 'openssl') {
    const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) =>
      generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (err, publicKey, privateKey) => (err ? reject(err) : resolve({ privateKey, publicKey }))));
    return fromKeyObjects(privateKey, publicKey);
  }
  for (;;) {
    const [a, b] = await Promise.all([usablePrime(bits / 2), usablePrime(bits / 2)]);
    if (a === b) continue;
    const [p, q] = a > b ? [a, b] : [b, a];
    const der = pkcs1Der(p, q);
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
    return fromKeyObjects(privateKey, createPublicKey(privateKey));
  }
}

/** A prime p with gcd(e, p-1) = 1 (e is prime, so: p-1 not a multiple of e). */
async function usablePrime(bits: number): Promise<bigint> {
  for (;;) {
    const p = await generatePrimeAsync(bits);
    if ((p - 1n) % E !== 0n) return p;
  }
}

function pkcs1Der(p: bigint, q: bigint): Buffer {
  const n = p * q;
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(E, lambda);
  const fields = [0n, n, E, d, p, q, d % (p - 1n), d % (q - 1n), modInverse(q, p)];
  return derTlv(0x30, Buffer.concat(fields.map(derInteger)));
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quot = oldR / r;
    [oldR, r] = [r, oldR - quot * r];
    [oldS, s] = [s, oldS - quot * s];
  }
  if (oldR !== 1n) throw new Error('internal: no modular inverse');
  return ((oldS % m) + m) % m;
}

function derInteger(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return derTlv(0x02, bytes);
}

function derTlv(tag: number, body: Buffer): Buffer {
  const len = body.length;
  if (len < 0x80) return Buffer.concat([Buffer.from([tag, len]), body]);
  const lenBytes: number[] = [];
  for (let l = len; l > 0; l >>= 8) lenBytes.unshift(l & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | lenBytes.length, ...lenBytes]), body]);
}

/** Loads an existing PEM private key (PKCS#1 or PKCS#8); throws on garbage. */
export function loadKeyPair(privatePem: string): KeyPair {
  const privateKey = createPrivateKey(privatePem);
  return fromKeyObjects(privateKey, createPublicKey(privateKey));
}

function fromKeyObjects(privateKey: KeyObject, publicKey: KeyObject): KeyPair {
  return {
    privateKey,
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
