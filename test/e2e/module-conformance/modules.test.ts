import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { lookupModule } from '../../../engine/modules/registry.js';
import { summarize, unEngine, type TaskRow } from './compare.js';
import { ROOT, onHost, runEngine, spawnText, treeScript, type Engine } from './engines.js';

// Module conformance: each fixture playbook runs under ansible-core and under tsplay on the
// same lab hosts (each engine in its own directory), three times: a first run, a second run
// (idempotence) and a check-mode run with changed inputs. Per task and host the status and
// the module's deterministic result fields must match, and so must the files left on the hosts.
const lab = { name: 'tsplaymc', subnet: '10.88.12', hosts: 2, kind: 'systemd' as const, stateDir: join(ROOT, '.tsplay', 'lab', 'tsplaymc') };
const HOSTS = ['node1', 'node2'];
let state: LabState;
let work: string;

interface Case {
  /** Fixture test/fixtures/module-conformance/<name>.yml. */
  readonly name: string;
  /** tsplay modules the case needs; the case waits until all are registered. */
  readonly modules: readonly string[];
  /** Task names compared by status only (results that differ run to run). */
  readonly statusOnly?: readonly string[];
  /** Extra host clean-up before each engine's first run; ENG is mc-ansible or mc-tsplay. */
  readonly reset?: string;
  /** Extra host state read back after each run (ENG as above). */
  readonly probe?: string;
  /** Read back the controller's fetch directory too. */
  readonly controller?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'copy', modules: ['file', 'copy'] },
  { name: 'template', modules: ['file', 'template'] },
  { name: 'file', modules: ['file', 'copy'] },
  { name: 'touch', modules: ['file'], statusOnly: ['touch a new file'] },
  { name: 'edit', modules: ['file', 'copy', 'lineinfile', 'blockinfile', 'replace'] },
  { name: 'command', modules: ['file', 'command', 'shell'] },
  { name: 'read', modules: ['file', 'copy', 'stat', 'slurp', 'find', 'fetch'], statusOnly: ['fetch a file to the controller', 'fetch flat'], controller: true },
];

/** The three runs every case makes, in order. */
const RUNS: readonly { label: string; args: readonly string[] }[] = [
  { label: 'first run', args: [] },
  { label: 'second run (idempotence)', args: [] },
  { label: 'check mode with changed inputs', args: ['-C', '-e', 'variant=2'] },
];

interface EngineResult {
  readonly codes: (number | null)[];
  readonly rows: TaskRow[][];
  /** Per run: host and controller state read back, engine names replaced. */
  readonly trees: string[][];
}

const baseOf = (engine: Engine, c: Case): string => `/tmp/mc-${engine}/${c.name}`;
const withEng = (script: string | undefined, engine: Engine): string => (script ?? '').replaceAll('ENG', `mc-${engine}`);

async function readBack(engine: Engine, c: Case): Promise<string[]> {
  const script = treeScript(baseOf(engine, c)) + withEng(c.probe, engine);
  const trees = await Promise.all(HOSTS.map((h) => onHost(state, h, script)));
  if (c.controller) {
    const local = await spawnText('sh', ['-s'], process.env, work, treeScript(join(work, `mc-${engine}`)));
    trees.push(local.stdout);
  }
  return unEngine(trees);
}

async function runCase(engine: Engine, c: Case): Promise<EngineResult> {
  const base = baseOf(engine, c);
  await Promise.all(HOSTS.map((h) => onHost(state, h, `rm -rf '${base}'\n${withEng(c.reset, engine)}\n`)));
  rmSync(join(work, `mc-${engine}`), { recursive: true, force: true });
  const vars = ['-e', `base=${base}`, '-e', `eng=mc-${engine}`, '-e', `fetch_dir=${join(work, `mc-${engine}`)}`];
  const result: EngineResult = { codes: [], rows: [], trees: [] };
  for (const run of RUNS) {
    const out = await runEngine(engine, state, `${c.name}.yml`, [...vars, ...run.args], work);
    let report: unknown;
    try {
      report = JSON.parse(out.stdout);
    } catch {
      throw new Error(`${engine} ${c.name} ${run.label}: no json report (exit ${out.code})\n${out.stdout}\n${out.stderr}`);
    }
    result.codes.push(out.code);
    result.rows.push(summarize(report, c.statusOnly));
    result.trees.push(await readBack(engine, c));
  }
  return result;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-mc-'));
  state = await labUp({ ...lab, log: () => undefined });
}, 300_000);

afterAll(async () => {
  try {
    await labDown({ ...lab, log: () => undefined });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 120_000);

describe('modules behave like ansible-core on the lab', () => {
  for (const c of CASES) {
    const missing = c.modules.filter((m) => lookupModule(m) === undefined);
    it.skipIf(missing.length > 0)(`${c.name} (${c.modules.join(', ')})`, async () => {
      const [ans, ts] = [await runCase('ansible', c), await runCase('tsplay', c)] as const;
      RUNS.forEach((run, i) => {
        expect.soft(ts.rows[i], `${c.name}: ${run.label}: task results`).toEqual(ans.rows[i]);
        expect.soft(ts.codes[i], `${c.name}: ${run.label}: exit code`).toBe(ans.codes[i]);
        expect.soft(ts.trees[i], `${c.name}: ${run.label}: files on the hosts`).toEqual(ans.trees[i]);
      });
      for (const [engine, r] of [['ansible', ans], ['tsplay', ts]] as const) {
        expect.soft(r.trees[2], `${engine}: check mode left the hosts as they were`).toEqual(r.trees[1]);
      }
    }, 240_000);
  }
});


