import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { lookupModule } from '../../../engine/modules/registry.js';
import { summarize, unEngine, type TaskRow } from './compare.js';
import { ROOT, TAG, onHost, runEngine, spawnText, treeScript, type Engine } from './engines.js';

// Module conformance: each fixture playbook runs under ansible-core and under tsplay on the
// same lab hosts (each engine in its own directory), three times: a first run, a second run
// (idempotence) and a check-mode run with changed inputs. Per task and host the status and
// the module's deterministic result fields must match, and so must the files left on the hosts.
// tsplay runs from dist/ through bin/tsplay.js: `npm test` builds it first; alone, run
// `npx tsc -p .` before `npx vitest run test/e2e/module-conformance` (about 3 minutes).
const lab = { name: 'tsplaymc', subnet: '10.88.12', hosts: 2, kind: 'systemd' as const, stateDir: join(ROOT, '.tsplay', 'lab', 'tsplaymc') };
const HOSTS = ['node1', 'node2'];
let state: LabState;
let work: string;

interface Case {
  /** Fixture test/fixtures/module-conformance/<name>.yml. */
  readonly name: string;
  /** tsplay modules the case covers (all must be registered). */
  readonly modules: readonly string[];
  /** Task names compared by status only (results that differ run to run). */
  readonly statusOnly?: readonly string[];
  /** Extra host clean-up before each engine's first run; ENG is the engine's tag (mc-ans, mc-tsp). */
  readonly reset?: string;
  /** Extra host state read back after each run (ENG as above). */
  readonly probe?: string;
  /** Read back the controller's fetch directory too. */
  readonly controller?: boolean;
  /** Run the engines one after the other (users, groups: shared /etc/passwd locks). */
  readonly serial?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'copy', modules: ['file', 'copy'] },
  { name: 'template', modules: ['file', 'template'] },
  { name: 'file', modules: ['file', 'copy'] },
  { name: 'touch', modules: ['file'], statusOnly: ['touch a new file'] },
  { name: 'edit', modules: ['file', 'copy', 'lineinfile', 'blockinfile', 'replace'] },
  { name: 'command', modules: ['file', 'command', 'shell'] },
  { name: 'read', modules: ['file', 'copy', 'stat', 'slurp', 'find', 'fetch'], statusOnly: ['fetch a file to the controller', 'fetch flat'], controller: true },
  { name: 'script', modules: ['file', 'script', 'raw'] },
  { name: 'unarchive', modules: ['file', 'copy', 'command', 'unarchive'] },
  { name: 'sysctl', modules: ['file', 'copy', 'sysctl'] },
  {
    name: 'service', modules: ['file', 'copy', 'systemd_service', 'service'],
    reset: 'systemctl disable --now ENG.service >/dev/null 2>&1; rm -f /etc/systemd/system/ENG.service; systemctl daemon-reload',
    probe: 'cat /etc/systemd/system/ENG.service; systemctl is-active ENG.service; systemctl is-enabled ENG.service; true',
  },
  {
    // Both engines' users go before each first run, so ids are handed out the same way.
    name: 'users', modules: ['file', 'user', 'group'], serial: true,
    reset: 'for n in mc-ans mc-tsp; do userdel ${n}u; groupdel ${n}g; groupdel ${n}s; done >/dev/null 2>&1; true',
    probe: 'getent passwd ENGu; getent group ENGg ENGs; id ENGu',
  },
  { name: 'wait_for', modules: ['file', 'copy', 'wait_for'] },
  { name: 'get_url', modules: ['file', 'copy', 'get_url'] },
  { name: 'kv', modules: ['file', 'copy', 'lineinfile', 'command'] },
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

const baseOf = (engine: Engine, c: Case): string => `/tmp/${TAG[engine]}/${c.name}`;
const withEng = (script: string | undefined, engine: Engine): string => (script ?? '').replaceAll('ENG', TAG[engine]);

async function readBack(engine: Engine, c: Case): Promise<string[]> {
  const script = treeScript(baseOf(engine, c)) + withEng(c.probe, engine);
  const trees = await Promise.all(HOSTS.map((h) => onHost(state, h, script)));
  if (c.controller) {
    const local = await spawnText('sh', ['-s'], process.env, work, treeScript(join(work, TAG[engine])));
    trees.push(local.stdout);
  }
  return unEngine(trees);
}

async function runCase(engine: Engine, c: Case): Promise<EngineResult> {
  const base = baseOf(engine, c);
  await Promise.all(HOSTS.map((h) => onHost(state, h, `rm -rf '${base}'\n${withEng(c.reset, engine)}\n`)));
  rmSync(join(work, TAG[engine]), { recursive: true, force: true });
  const vars = ['-e', `base=${base}`, '-e', `eng=${TAG[engine]}`, '-e', `fetch_dir=${join(work, TAG[engine])}`];
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
    it(`${c.name} (${c.modules.join(', ')})`, async () => {
      expect(c.modules.filter((m) => lookupModule(m) === undefined), 'modules tsplay does not know').toEqual([]);
      // Each engine has its own directory; cases that touch shared host state run one after the other.
      const [ans, ts] = c.serial
        ? [await runCase('ansible', c), await runCase('tsplay', c)]
        : await Promise.all([runCase('ansible', c), runCase('tsplay', c)]);
      for (const r of [ans, ts]) {
        expect(r.rows.map((rows) => rows.length), 'every run reports every task').toEqual(RUNS.map(() => ans.rows[0]!.length));
        expect(r.rows[0]!.every((row) => Object.keys(row.hosts).sort().join() === HOSTS.join()), 'on both hosts').toBe(true);
      }
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



/** Text output with each engine's tag replaced and the rendered-source header of copy/template made one. */
function normalizeText(text: string): string {
  // ansible names its temp file there, tsplay the template or "dynamically generated".
  return unEngine(text).replace(/^\+\+\+ after: (?!.*mc-ENG).*$/gm, '+++ after: <rendered source>');
}

describe('diff mode prints unified diffs like ansible-core', () => {
  it('copy, template, lineinfile: a first run, check mode with changed inputs, then the change', async () => {
    const runs = [[], ['-C', '-e', 'variant=2'], ['-e', 'variant=2']];
    const [ans, ts] = await Promise.all((['ansible', 'tsplay'] as const).map(async (engine) => {
      const base = `/tmp/${TAG[engine]}/diff`;
      await onHost(state, 'node1', `rm -rf '${base}'\n`);
      const texts: string[] = [];
      const trees: string[] = [];
      for (const args of runs) {
        const out = await runEngine(engine, state, 'diff.yml', ['-D', '-l', 'node1', '-e', `base=${base}`, ...args], work, false);
        texts.push(normalizeText(out.stdout));
        trees.push(unEngine(await onHost(state, 'node1', treeScript(base))));
      }
      return { texts, trees };
    }));
    expect(ts!.texts).toEqual(ans!.texts);
    expect(ts!.trees).toEqual(ans!.trees);
    expect(ts!.trees[1], 'check mode left the files as they were').toEqual(ts!.trees[0]);
    expect(ts!.trees[2]).not.toEqual(ts!.trees[1]);
    const check = ts!.texts[1]!;
    expect(check).toContain([
      '--- before: /tmp/mc-ENG/diff/content.txt', '+++ after: <rendered source>', '@@ -1,3 +1,3 @@',
      '-line one 1', '-line two 1', '+line one 2', '+line two', ' line three',
    ].join('\n'));
    expect(check).toContain(['@@ -1,4 +1,6 @@', '-# node1 variant 1', '+# node1 variant 2', ' item=a', '-item=b'].join('\n'));
    expect(check).toContain([
      '--- before: /tmp/mc-ENG/diff/content.txt (content)', '+++ after: /tmp/mc-ENG/diff/content.txt (content)',
      '@@ -1,3 +1,3 @@', ' line one 1', '-line two 1', '+line two 2',
    ].join('\n'));
  }, 240_000);
});
