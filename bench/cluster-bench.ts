/**
 * cluster.yml benchmark (issue 11, item 7): the part of cluster.yml that runs here, on a fresh
 * 3-node air-gapped lab with its mirror (lab tsplaycm, 10.88.17.0/24), from clean hosts and
 * again converged. Prints wall seconds, tasks, remote commands and seconds per play.
 * Run: npm run bench:cluster [-- --keep-lab]   (root: it brings a lab up)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlaybook } from '../engine/api.js';
import { loadSettings } from '../engine/config/ansible-cfg.js';
import { labDown, labUp } from '../engine/lab/index.js';
import { createConnectionFactory } from '../engine/transport/connect.js';
import { countingFactory, type Counts } from './cluster-bench/counting.js';
import { PhaseClock, type Phase } from './cluster-bench/phases.js';
import { findRepoRoot } from './run.js';

const LAB = { name: 'tsplaycm', subnet: '10.88.17', hosts: 3, containers: true, mirror: true };

interface RunResult {
  readonly run: 'first' | 'converged';
  readonly exitCode: number;
  readonly seconds: number;
  readonly tasks: number;
  readonly remoteCommands: number;
  readonly fileTransfers: number;
  readonly changed: number;
  readonly phases: readonly Phase[];
}

async function timedRun(run: RunResult['run'], root: string, inventory: string, factDir: string): Promise<RunResult> {
  const settings = loadSettings({ ...process.env, ANSIBLE_CONFIG: join(root, 'ansible.cfg'), ANSIBLE_CACHE_PLUGIN_CONNECTION: factDir }, root);
  const counts: Counts = { execs: 0, transfers: 0 };
  const clock = new PhaseClock();
  const started = Date.now();
  const exitCode = await runPlaybook({
    playbooks: ['playbooks/cluster.yml'], inventories: [inventory], tags: [], skipTags: [], extraVars: {},
    check: false, diff: false, verbosity: 0, mode: 'run', output: 'text', color: false,
  }, { write: (t) => clock.write(t), settings, cwd: root, connectionFactory: countingFactory(createConnectionFactory(), counts) });
  const seconds = (Date.now() - started) / 1000;
  const changed = [...clock.output().matchAll(/changed=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  if (exitCode !== 0) console.error(clock.output().slice(-4000));
  return { run, exitCode, seconds, tasks: clock.taskCount(), remoteCommands: counts.execs, fileTransfers: counts.transfers, changed, phases: clock.phases() };
}

function table(results: readonly RunResult[]): string {
  const lines = ['| run | wall s | tasks | remote commands | file transfers | changed | exit |', '|---|---|---|---|---|---|---|'];
  for (const r of results) lines.push(`| ${r.run} | ${r.seconds.toFixed(1)} | ${r.tasks} | ${r.remoteCommands} | ${r.fileTransfers} | ${r.changed} | ${r.exitCode} |`);
  lines.push('', '| play | ' + results.map((r) => `${r.run} s (tasks)`).join(' | ') + ' |', '|---|' + results.map(() => '---').join('|') + '|');
  results[0]?.phases.forEach((p, i) => {
    lines.push(`| ${p.name} | ` + results.map((r) => `${r.phases[i]?.seconds.toFixed(1) ?? '-'} (${r.phases[i]?.tasks ?? '-'})`).join(' | ') + ' |');
  });
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const root = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  const log = (l: string): void => console.error(`[bench:cluster] ${l}`);
  await labDown({ ...LAB, log });
  const state = await labUp({ ...LAB, log });
  const factDir = mkdtempSync(join(tmpdir(), 'tsplay-bench-cluster-facts-'));
  try {
    const results = [await timedRun('first', root, state.inventory, factDir), await timedRun('converged', root, state.inventory, factDir)];
    console.log(table(results));
    writeFileSync(join(root, 'bench', 'results', 'cluster-latest.json'), JSON.stringify({ date: new Date().toISOString(), hosts: 3, loadavg: (await import('node:os')).loadavg(), results }, null, 2) + '\n');
    return results.every((r) => r.exitCode === 0) && results[1]!.changed === 0 ? 0 : 1;
  } finally {
    if (!argv.includes('--keep-lab')) await labDown({ ...LAB, log });
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
