import { createHash } from 'node:crypto';
import { TemplateError } from '../../errors/index.js';

/*
 * Python's random.Random(seed): MT19937 seeded by init_by_array like CPython's _randommodule,
 * so `random(seed=inventory_hostname)` and `shuffle(seed=...)` pick what ansible picks.
 */

const N = 624;
const M = 397;

/** A seed as CPython (3.11) turns it into the integer it seeds with. */
function seedInteger(seed: unknown): bigint {
  if (typeof seed === 'boolean') return seed ? 1n : 0n;
  if (typeof seed === 'number' && Number.isInteger(seed)) return BigInt(seed);
  if (typeof seed === 'string') {
    // like random.seed(version=2): the text's bytes followed by their sha512
    const bytes = Buffer.from(seed, 'utf8');
    const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
    return BigInt(`0x${all.toString('hex')}`);
  }
  throw new TemplateError(`The only supported seed types are: None, int, float, str, bytes, and bytearray (tsplay: int and str)`);
}

/** The 32-bit words of |n|, least significant first (CPython's init_by_array key). */
function keyWords(n: bigint): number[] {
  let v = n < 0n ? -n : n;
  const key: number[] = [];
  while (v > 0n) {
    key.push(Number(v & 0xffffffffn));
    v >>= 32n;
  }
  return key.length ? key : [0];
}

export class PyRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  constructor(seed: unknown) {
    this.initByArray(keyWords(seedInteger(seed)));
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (((mt[i] as number) ^ Math.imul(prev, 1664525)) + (key[j] as number) + j) >>> 0;
      i++;
      j++;
      if (i >= N) { mt[0] = mt[N - 1] as number; i = 1; }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (((mt[i] as number) ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) { mt[0] = mt[N - 1] as number; i = 1; }
    }
    mt[0] = 0x80000000;
  }

  private twist(): void {
    const mt = this.mt;
    for (let kk = 0; kk < N; kk++) {
      const y = ((mt[kk] as number) & 0x80000000) | ((mt[(kk + 1) % N] as number) & 0x7fffffff);
      mt[kk] = (mt[(kk + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.mti = 0;
  }

  uint32(): number {
    if (this.mti >= N) this.twist();
    let y = this.mt[this.mti++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** random.getrandbits(k): words fill from the least significant end, the last one shifted. */
  getrandbits(k: number): bigint {
    if (k <= 32) return k === 0 ? 0n : BigInt(this.uint32() >>> (32 - k));
    let out = 0n;
    for (let shift = 0n, left = k; left > 0; shift += 32n, left -= 32) {
      let r = this.uint32();
      if (left < 32) r >>>= 32 - left;
      out |= BigInt(r) << shift;
    }
    return out;
  }

  /** random._randbelow_with_getrandbits */
  randbelow(n: number): number {
    const big = BigInt(n);
    const k = big.toString(2).length - (n === 0 ? 1 : 0);
    let r = this.getrandbits(k);
    while (r >= big) r = this.getrandbits(k);
    return Number(r);
  }

  randrange(start: number, stop: number, step: number): number {
    const width = stop - start;
    if (step === 1) {
      if (width > 0) return start + this.randbelow(width);
      throw new TemplateError(`empty range for randrange() (${start}, ${stop}, ${width})`);
    }
    if (step === 0) throw new TemplateError('zero step for randrange()');
    const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step);
    if (n <= 0) throw new TemplateError('empty range for randrange()');
    return start + step * this.randbelow(n);
  }

  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new TemplateError('Cannot choose from an empty sequence');
    return items[this.randbelow(items.length)] as T;
  }

  /** random.shuffle: Fisher-Yates from the end, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}
