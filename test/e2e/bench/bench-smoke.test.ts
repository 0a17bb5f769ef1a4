import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBench, type BenchResult } from '../../../bench/playbook-bench/bench.js';
import { parseBenchArgs } from '../../../bench/playbook-bench/options.js';
import { parseRecap } from '../../../bench/playbook-bench/recap.js';
import { parseTable, type ParsedRow } from '../../../bench/playbook-bench/table.js';
import { findRepoRoot } from '../../../bench/run.js';
import { listNetns } from '../../../engine/lab/network.js';

// The bench harness end to end in its tiny mode: a 2-host systemd lab of its own, 5 tasks,
// each engine's first+idempotent pair measured twice (the median reported), both engines (tsplay runs from dist/: `npm test` builds first). No timing assertions.
const LAB = 'tsplaybs';

describe('npm run bench in tiny mode (2 hosts, 5 tasks, both engines)', () => {
  let dir: string;
  let result: BenchResult;
  let rows: ParsedRow[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsplay-bench-smoke-'));
    const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
    const argv = ['--hosts', '2', '--tasks', '5', '--repeat', '2', '--lab-name', LAB, '--subnet', '10.88.13', '--json', join(dir, 'latest.json'), '--log-dir', join(dir, 'logs')];
    result = await runBench(parseBenchArgs(argv, repoRoot, (l) => console.log(l)), repoRoot, argv);
    console.log(result.table);
    rows = parseTable(result.table);
  }, 600_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a table with one row per engine and run', () => {
    expect(rows.map((r) => `${r.hosts} ${r.engine} ${r.run}`)).toEqual([
      '2 ansible first', '2 ansible idempotent', '2 tsplay first', '2 tsplay idempotent',
    ]);
    // the table rounds both columns, so allow the rounding of each (wall to 0.01 s, overhead to 0.1 ms)
    for (const r of rows) expect(Math.abs(r.overheadMs - (r.wallSeconds * 1000) / (5 * 2))).toBeLessThanOrEqual(0.5 + 0.05);
  });

  it('gives the ansible/tsplay ratio on the tsplay rows only', () => {
    expect(rows.map((r) => r.ratio === null)).toEqual([true, true, false, false]);
    expect(rows[2]!.ratio!).toBeCloseTo(rows[0]!.wallSeconds / rows[2]!.wallSeconds, 0);
  });

  it('starts each engine from a clean state: the first run changes things on every host', () => {
    // 4 changing tasks per host: mkdir, copy, template, lineinfile (the 5th, `cat /etc/hostname`, is changed_when: false).
    for (const r of rows.filter((x) => x.run === 'first')) expect([r.engine, r.changed, r.check]).toEqual([r.engine, 8, 'ok']);
  });

  it('reports changed=0 for the idempotent run of both engines, with no warning', () => {
    for (const r of rows.filter((x) => x.run === 'idempotent')) expect([r.engine, r.changed, r.check]).toEqual([r.engine, 0, 'ok']);
  });

  it('reads every host of both engines\' PLAY RECAP from the kept logs, the untimed warm-ups\' too', async () => {
    const logs = (await readdir(join(dir, 'logs'))).sort();
    expect(logs).toEqual([
      '2h-ansible-first-2.log', '2h-ansible-first.log', '2h-ansible-idempotent-2.log', '2h-ansible-idempotent.log',
      '2h-tsplay-first-2.log', '2h-tsplay-first.log', '2h-tsplay-idempotent-2.log', '2h-tsplay-idempotent.log',
      'warm-up-ansible.log', 'warm-up-tsplay.log',
    ]);
    for (const log of logs) {
      const recap = parseRecap(await readFile(join(dir, 'logs', log), 'utf8'));
      const hosts = log.startsWith('warm-up') ? ['node1'] : ['node1', 'node2'];
      expect(recap.map((l) => [l.host, l.ok, l.failed, l.unreachable])).toEqual(hosts.map((h) => [h, 6, 0, 0]));
    }
  });

  it('writes the same rows as JSON, with the acceptance verdict', async () => {
    const json = JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8')) as { rows: { engine: string; run: string; changed: number; wallSeconds: number; samples: number[] }[]; acceptance: { hosts: number; target: number; ratios: { run: string; ratio: number }[] }[] };
    expect(json.rows.map((r) => [r.engine, r.run, r.changed])).toEqual(rows.map((r) => [r.engine, r.run, r.changed]));
    // two samples each (the second pair again from a clean state: its first run changed things too), the wall time their median
    for (const r of json.rows) {
      expect(r.samples).toHaveLength(2);
      expect(r.wallSeconds).toBeCloseTo((r.samples[0]! + r.samples[1]!) / 2, 2);
    }
    // 2 hosts take the first target (3 hosts: 25x); the verdict's ratios are the table's
    expect(json.acceptance.map((a) => [a.hosts, a.target, a.ratios.map((r) => r.run)])).toEqual([[2, 25, ['first', 'idempotent']]]);
    expect(json.acceptance[0]!.ratios[0]!.ratio).toBeCloseTo(rows[2]!.ratio!, 0);
  });

  it('takes its lab down at the end', async () => {
    expect((await listNetns()).filter((n) => n.startsWith(`${LAB}-`))).toEqual([]);
  });
});
