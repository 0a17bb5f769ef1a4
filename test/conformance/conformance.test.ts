/**
 * Conformance: every folder under cases/ runs under ansible-playbook (the oracle) and tsplay in
 * the same test; their normalized results must be equal. Needs `npm run build` (dist/) first;
 * the `test` script does that. ansible-playbook missing = a failure, never a skip.
 */
import pLimit from 'p-limit';
import { describe, expect, it, vi } from 'vitest';
import { ansibleAvailable, CASES_DIR, listCases, runCase, tsplayBuilt } from './harness.js';
import { join } from 'node:path';
import { normalizeRun, perHostOrder } from './normalize.js';

// 2 cores: two cases at a time, each running its two engines concurrently.
vi.setConfig({ maxConcurrency: 2 });

describe('conformance prerequisites', () => {
  it('ansible-playbook (ansible-core 2.x) is on PATH', () => {
    expect(ansibleAvailable(), 'ansible-playbook not found: apt-get install ansible-core (the suite never skips)').toBe(true);
  });
  it('tsplay is built (dist/engine/cli/main.js)', () => {
    expect(tsplayBuilt(), 'run `npm run build` before the conformance suite').toBe(true);
  });
});

describe('normalize (sanity: the comparison can fail)', () => {
  const doc = (msg: string, changed: boolean, ok: number) => JSON.stringify({
    plays: [{ play: { name: 'p' }, tasks: [{ task: { name: 't' }, hosts: { h1: { action: 'ansible.builtin.debug', changed, msg } } }] }],
    stats: { h1: { ok, changed: changed ? 1 : 0, unreachable: 0, failures: 0, skipped: 0, rescued: 0, ignored: 0 } },
  });
  it('a different debug value is a mismatch', () => {
    expect(normalizeRun({ exitCode: 0, stdout: doc('a', false, 1) })).not.toEqual(normalizeRun({ exitCode: 0, stdout: doc('b', false, 1) }));
  });
  it('a different status and recap is a mismatch', () => {
    expect(normalizeRun({ exitCode: 0, stdout: doc('a', true, 1) })).not.toEqual(normalizeRun({ exitCode: 0, stdout: doc('a', false, 1) }));
  });
  it('a different exit code is a mismatch, also without json output', () => {
    expect(normalizeRun({ exitCode: 4, stdout: '' })).not.toEqual(normalizeRun({ exitCode: 1, stdout: '' }));
  });
  it("per-host order: the interleaving of hosts does not count, one host's order does", () => {
    const task = (name: string, host: string, msg: string) => ({ task: { name }, hosts: { [host]: { action: 'debug', msg } } });
    const run = (...tasks: unknown[]) => perHostOrder(normalizeRun({ exitCode: 0, stdout: JSON.stringify({ plays: [{ play: { name: 'p' }, tasks }], stats: {} }) }));
    const a1 = task('a', 'h1', 'x'), b1 = task('b', 'h1', 'y'), a2 = task('a', 'h2', 'x');
    expect(run(a1, a2, b1)).toEqual(run(a1, b1, a2));
    expect(run(a1, b1, a2)).not.toEqual(run(b1, a1, a2));
    expect(run(a1, b1, a2)).not.toEqual(run(a1, a2));
  });
  it('the temp dir is replaced, timings and paths are ignored', () => {
    const a = normalizeRun({ exitCode: 0, stdout: doc('/tmp/x1/f', false, 1), tmp: '/tmp/x1' });
    const b = normalizeRun({ exitCode: 0, stdout: doc('/tmp/y2/f', false, 1), tmp: '/tmp/y2' });
    expect(a).toEqual(b);
    expect(a.plays?.[0]?.tasks[0]?.hosts['h1']).toEqual({ status: 'ok', debug: '<TMP>/f' });
  });
});

describe('conformance cases (ansible-core vs tsplay)', () => {
  const cases = listCases();
  const limit = pLimit(2);
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const name of cases) {
    it.concurrent(name, async () => {
      const r = await limit(() => runCase(join(CASES_DIR, name)));
      const context = `${name}${r.spec.description ? ` — ${r.spec.description}` : ''}\n` +
        `ansible stderr:\n${r.raw.ansible.stderr.slice(-1500)}\ntsplay stderr:\n${r.raw.tsplay.stderr.slice(-1500)}`;
      expect(r.tsplay, context).toEqual(r.ansible);
      if (r.spec.stderr !== undefined) {
        expect(r.raw.ansible.stderr, `${name}: ansible's stderr`).toMatch(new RegExp(r.spec.stderr));
        expect(r.raw.tsplay.stderr, `${name}: tsplay's stderr`).toMatch(new RegExp(r.spec.stderr));
      }
    }, 120_000);
  }
});
