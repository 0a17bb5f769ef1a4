import { TsplayError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';

function batchSize(spec: unknown, total: number, where: SourceLoc): number {
  if (typeof spec === 'number') return spec;
  const s = String(spec).trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(s);
  if (pct) return Math.max(1, Math.floor((Number(pct[1]) / 100) * total));
  if (/^\d+$/.test(s)) return Number(s);
  throw new TsplayError('serial', `invalid serial value: ${s}`, { where, hint: 'serial takes a number, a percentage ("30%") or a list of them' });
}

/**
 * ansible's serial: a number, a percentage or a list of them; the last list entry repeats.
 * 0 or unset means one batch with every host.
 */
export function serialBatches(hosts: readonly string[], serial: unknown, where: SourceLoc): string[][] {
  if (serial === undefined || serial === null) return [[...hosts]];
  const specs = Array.isArray(serial) ? serial : [serial];
  const out: string[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const size = batchSize(specs[Math.min(k, specs.length - 1)], hosts.length, where);
    const n = size <= 0 ? hosts.length : size;
    out.push(hosts.slice(i, i + n));
    i += n;
    k++;
  }
  return out.length ? out : [[]];
}
