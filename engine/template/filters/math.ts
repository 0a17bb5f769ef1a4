import { randomInt } from 'node:crypto';
import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { truthy } from '../python/ops.js';
import { isMapping, mappingGet, mappingKeys, mkFloat, PyFloat, toDict, typeName } from '../python/values.js';
import { pyStr } from '../python/repr.js';
import { fromIterator } from '../runtime.js';
import { PyRandom } from '../python/py-random.js';
import type { FilterTable } from './types.js';

/** A Python number (int, float or bool) as a JS number, or the TypeError text ansible wraps. */
function realNumber(v: unknown, what: string): number {
  if (typeof v === 'number' || typeof v === 'boolean') return Number(v);
  if (v instanceof PyFloat) return v.value;
  throw new TemplateError(`${what}() can only be used on numbers: must be real number, not ${typeName(v)}`);
}

const SIZE_RANGES: readonly [string, number][] = [['Y', 2 ** 80], ['Z', 2 ** 70], ['E', 2 ** 60], ['P', 2 ** 50], ['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10], ['B', 1]];

/** ansible's formatters.bytes_to_human. */
function humanReadable(size: unknown, ...args: unknown[]): string {
  const a = bind('human_readable', args, ['isbits', 'unit'], { isbits: false, unit: null });
  if (typeof size !== 'number' && !(size instanceof PyFloat)) {
    throw new TemplateError(`human_readable() failed on bad input: '>=' not supported between instances of '${typeName(size)}' and 'int'`);
  }
  const n = Number(size);
  const base = truthy(a.isbits) ? 'bits' : 'Bytes';
  const unit = a.unit === null ? null : pyStr(a.unit).toUpperCase()[0];
  let [suffix, limit] = SIZE_RANGES[SIZE_RANGES.length - 1]!;
  for (const [s, l] of SIZE_RANGES) {
    if ((unit === null && n >= l) || unit === s) {
      [suffix, limit] = [s, l];
      break;
    }
  }
  return `${(n / limit).toFixed(2)} ${limit !== 1 ? suffix + base[0] : base}`;
}

/** ansible's formatters.human_to_bytes. */
function humanToBytes(v: unknown, ...args: unknown[]): number {
  const a = bind('human_to_bytes', args, ['default_unit', 'isbits'], { default_unit: null, isbits: false });
  const text = pyStr(v);
  const bad = () => new TemplateError(`human_to_bytes() can't interpret following string: ${text}`);
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text);
  if (!m || m[1] === '' || m[1] === '.') throw bad();
  const n = Number(m[1]);
  const unit = m[2] ?? (a.default_unit === null ? undefined : pyStr(a.default_unit));
  if (unit === undefined) return Math.round(n);
  const key = unit[0]!.toUpperCase();
  const limit = SIZE_RANGES.find(([s]) => s === key)?.[1];
  if (limit === undefined) throw bad();
  const [cls, clsName] = truthy(a.isbits) ? ['b', 'bit'] : ['B', 'byte'];
  if (unit.length > 1 && !unit.toLowerCase().includes(clsName) && unit[1] !== cls) throw bad();
  return Math.round(n * limit);
}

function rekeyOnMember(data: unknown, ...args: unknown[]): Record<string, unknown> {
  const a = bind('rekey_on_member', args, ['key', 'duplicates'], { duplicates: 'error' });
  if (a.duplicates !== 'error' && a.duplicates !== 'overwrite') throw new TemplateError(`duplicates parameter to rekey_on_member has unknown value: ${pyStr(a.duplicates)}`);
  let items: unknown[];
  if (isMapping(data)) items = mappingKeys(data).map((k) => mappingGet(data, k).value);
  else if (Array.isArray(data)) items = data;
  else throw new TemplateError('Type is not a valid list, set, or dict');
  const out: Record<string, unknown> = {};
  for (const item of items) {
    if (!isMapping(item)) throw new TemplateError('List item is not a valid dict');
    const k = mappingGet(item, String(a.key)).value;
    if (k === undefined) throw new TemplateError(`Key ${pyStr(a.key)} was not found`);
    if (out[String(k)] !== undefined && a.duplicates === 'error') throw new TemplateError(`Key ${pyStr(k)} is not unique, cannot correctly turn into dict`);
    out[String(k)] = toDict(item);
  }
  return out;
}

function combinations(v: unknown, r: unknown): unknown[][] {
  const items = fromIterator(v);
  const k = Number(r);
  const out: unknown[][] = [];
  const walk = (start: number, acc: unknown[]) => {
    if (acc.length === k) return void out.push(acc);
    for (let i = start; i < items.length; i++) walk(i + 1, [...acc, items[i]]);
  };
  if (k >= 0 && k <= items.length) walk(0, []);
  return out;
}

function permutations(v: unknown, r?: unknown): unknown[][] {
  const items = fromIterator(v);
  const k = r === undefined || r === null ? items.length : Number(r);
  const out: unknown[][] = [];
  const walk = (used: boolean[], acc: unknown[]) => {
    if (acc.length === k) return void out.push(acc);
    items.forEach((x, i) => { if (!used[i]) walk(used.map((u, j) => u || j === i), [...acc, x]); });
  };
  if (k >= 0 && k <= items.length) walk(items.map(() => false), []);
  return out;
}

/**
 * ansible's random filter: an item of a sequence, or randrange(start, end, step) of an integer;
 * with `seed` it draws from Python's Random(seed), so seeded picks match ansible's.
 */
function random(v: unknown, ...args: unknown[]): unknown {
  const a = bind('random', args, ['start', 'step', 'seed'], { start: null, step: null, seed: null });
  const r = a.seed === null ? undefined : new PyRandom(a.seed);
  if (typeof v === 'number' && Number.isInteger(v)) {
    const [start, step] = [truthy(a.start) ? Number(a.start) : 0, truthy(a.step) ? Number(a.step) : 1];
    if (r) return r.randrange(start, v, step);
    const count = Math.ceil((v - start) / step);
    if (count <= 0) throw new TemplateError(`empty range for randrange() (${start}, ${v}, ${v - start})`);
    return start + randomInt(count) * step;
  }
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat) {
    throw new TemplateError('random can only be used on sequences and integers');
  }
  if (truthy(a.start) || truthy(a.step)) throw new TemplateError('start and step can only be used with integer values');
  const items = fromIterator(v);
  if (r) return r.choice(items);
  if (items.length === 0) throw new TemplateError('Cannot choose from an empty sequence');
  return items[randomInt(items.length)];
}

export const mathFilters: FilterTable = {
  log: (x, ...args) => {
    const a = bind('log', args, ['base'], { base: null });
    const n = realNumber(x, 'log');
    if (a.base === null) return mkFloat(Math.log(n));
    const b = realNumber(a.base, 'log');
    return mkFloat(b === 10 ? Math.log10(n) : Math.log(n) / Math.log(b));
  },
  pow: (x, y) => mkFloat(realNumber(x, 'pow') ** realNumber(y, 'pow')),
  root: (x, base = 2) => {
    const n = realNumber(x, 'root');
    const b = realNumber(base, 'root');
    return mkFloat(b === 2 ? Math.sqrt(n) : n ** (1 / b));
  },
  human_readable: humanReadable,
  human_to_bytes: humanToBytes,
  rekey_on_member: rekeyOnMember,
  combinations: (v, r) => combinations(v, r),
  permutations: (v, r) => permutations(v, r),
  random,
};
