/**
 * Controller scale benchmark (issue 17): how tsplay's controller grows with hosts × tasks.
 * Run: npm run bench:scale [-- --hosts 1000,10000 --tasks 50 --keep]   (root: it boots a 1-host lab)
 *
 * 1. Boots a one-host lab (real systemd + sshd), converges the scale playbook on it, then
 *    records every answer of a second (idempotent) run.
 * 2. For each host count, a fresh process runs the same playbook on that many simulated hosts
 *    whose transport replays the recording (bench/scale/replay.ts: a benchmark tool only), and
 *    reports controller CPU per task-host, peak memory and wall time.
 * Results: a table on stdout and bench/results/scale.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlaybook } from '../engine/api.js';
import { loadSettings } from '../engine/config/ansible-cfg.js';
import { labDown, labUp } from '../engine/lab/index.js';
import { createConnectionFactory } from '../engine/transport/connect.js';
import { findRepoRoot } from './run.js';
import { scalePlaybook, SCALE_TEMPLATE } from './scale/playbook.js';
import { Recorder } from './scale/recording.js';

const LAB = { name: 'tsscale', subnet: '10.88.19', hosts: 1, kind: 'systemd' as const };

interface Row { hosts: number; tasks: number; exitCode: number; wallMs: number; cpuMs: number; cpuMsPerTaskHost: number; peakRssMb: number; changed: number; failed: number; misses: number }

function arg(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
}

async function record(dir: string, tasks: number, repo: string): Promise<void> {
  const state = await labUp({ ...LAB, stateDir: join(repo, '.tsplay', 'lab', LAB.name), log: (l) => console.error(`[lab] ${l}`) });
  try {
    const settings = loadSettings({ ANSIBLE_CONFIG: join(dir, 'ansible.cfg') }, dir);
    const req = {
      playbooks: [join(dir, 'site.yml')], inventories: [state.inventory], limit: 'node1', tags: [], skipTags: [], extraVars: {},
      check: false, diff: false, verbosity: 0, mode: 'run' as const, output: 'text' as const, color: false,
    };
    let out = '';
    const deps = { write: (t: string) => { out += t; }, settings, cwd: dir };
    if ((await runPlaybook(req, deps)) !== 0) throw new Error(`converging the lab host failed:\n${out}`);
    const host = state.hosts.find((h) => h.name === 'node1')!;
    const recorder = new Recorder('node1', host.ip);
    out = '';
    const code = await runPlaybook(req, { ...deps, connectionFactory: recorder.wrap(createConnectionFactory()) });
    if (code !== 0 || !/changed=0 /.test(out)) throw new Error(`the recorded run was not idempotent:\n${out}`);
    writeFileSync(join(dir, 'recording.json'), JSON.stringify(recorder.recording));
    console.error(`[scale] recorded ${Object.keys(recorder.recording.exec).length} distinct commands from node1`);
  } finally {
    await labDown({ ...LAB, stateDir: join(repo, '.tsplay', 'lab', LAB.name), log: () => undefined });
  }
}

function measure(dir: string, hosts: number, tasks: number): Row {
  const child = join(dirname(fileURLToPath(import.meta.url)), 'scale', 'child.js');
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', child, dir, String(hosts), String(tasks)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`the ${hosts}-host run failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Row;
}

async function main(argv: string[]): Promise<number> {
  const repo = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  const counts = arg(argv, '--hosts', '1000,10000').split(',').map(Number);
  const tasks = Number(arg(argv, '--tasks', '50'));
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-scale-'));
  try {
    writeFileSync(join(dir, 'site.yml'), scalePlaybook(tasks));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'scale.conf.j2'), SCALE_TEMPLATE);
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\ngathering = implicit\nretry_files_enabled = False\n');
    await record(dir, tasks, repo);
    const rows = counts.map((n) => {
      console.error(`[scale] ${n} simulated hosts x ${tasks} tasks ...`);
      return measure(dir, n, tasks);
    });
    console.log('\n| hosts | tasks | wall s | controller CPU s | CPU ms per task-host | peak memory MB | changed | failed | unanswered |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.hosts} | ${r.tasks} | ${(r.wallMs / 1000).toFixed(1)} | ${(r.cpuMs / 1000).toFixed(1)} | ${r.cpuMsPerTaskHost.toFixed(3)} | ${r.peakRssMb.toFixed(0)} | ${r.changed} | ${r.failed} | ${r.misses} |`);
    }
    mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
    writeFileSync(join(repo, 'bench', 'results', 'scale.json'), `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`);
    return rows.every((r) => r.exitCode === 0 && r.misses === 0 && r.changed === 0 && r.failed === 0) ? 0 : 1;
  } finally {
    // --keep leaves the project (recording.json, site.yml) for profiling a child run by hand
    if (argv.includes('--keep')) console.error(`[scale] kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then((c) => { process.exitCode = c; }, (e: unknown) => { console.error(e); process.exitCode = 1; });
