import { describe, expect, it } from 'vitest';
import { acceptance, median, repeatsFor, targetFor } from '../../../bench/playbook-bench/bench.js';
import type { BenchRow } from '../../../bench/playbook-bench/table.js';

// The bench's verdict and sampling policy (npm run bench): issue 17's targets per host count.
describe('bench policy', () => {
  it('takes the target of the last entry at or below the host count, the first below it', () => {
    expect([1, 2, 3, 10, 19, 20, 500].map(targetFor)).toEqual([25, 25, 25, 25, 25, 40, 40]);
  });

  it('measures every host count three times, unless --repeat says', () => {
    expect([repeatsFor(3, null), repeatsFor(5, null), repeatsFor(20, null), repeatsFor(500, null), repeatsFor(20, 2), repeatsFor(3, 1)]).toEqual([3, 3, 3, 3, 2, 1]);
  });

  it('reports the median: the middle sample, or the mean of the middle two', () => {
    expect(median([3.1, 1.2, 2.5])).toBe(2.5);
    expect(median([1, 4])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('meets a host count only when both runs reach its target', () => {
    const row = (hosts: number, run: 'first' | 'idempotent', ratio: number | null): BenchRow => ({
      hosts, engine: ratio === null ? 'ansible' : 'tsplay', run, tasks: 50, wallSeconds: 1, samples: [1], overheadMs: 1, ratio,
      exitCode: 0, changed: 0, failed: 0, unreachable: 0, recapHosts: hosts, warnings: [], logFile: '',
    });
    const rows = [row(3, 'first', null), row(3, 'first', 26), row(3, 'idempotent', 24.99), row(20, 'first', 41), row(20, 'idempotent', 40)];
    expect(acceptance(rows, [3, 20])).toEqual([
      { hosts: 3, target: 25, ratios: [{ run: 'first', ratio: 26 }, { run: 'idempotent', ratio: 24.99 }], met: false },
      { hosts: 20, target: 40, ratios: [{ run: 'first', ratio: 41 }, { run: 'idempotent', ratio: 40 }], met: true },
    ]);
    expect(acceptance([row(3, 'first', 30)], [3])[0]!.met).toBe(false); // a run missing
  });
});
