/**
 * Start-up benchmark (issue 17): wall time of `node bin/tsplay.js` for runs that do almost
 * nothing, so what is measured is process start, code loading and set-up.
 * Run: npm run bench:startup [-- --runs 10 --cli OTHER/bin/tsplay.js]   (--cli: another build, to compare)
 *
 *   empty playbook   one play on localhost, no facts, no tasks (the floor of every run)
 *   the same with TSPLAY_NO_CODE_CACHE=1 (no V8 code cache: engine/cli/code-cache.ts)
 *   --syntax-check   playbooks/cluster.yml (the shipped cluster playbook: ~20 roles parsed)
 *   --version
 *   node -e 0        node's own start on this machine, for scale (not tsplay)
 *
 * The cases take turns (one run of each, N times). Prints the median and the range of N runs
 * each, the median CPU time (user + system, with GNU time) and the load average (the machine
 * may be shared), and writes bench/results/startup.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { findRepoRoot } from './run.js';

interface Case { readonly name: string; readonly argv: readonly string[]; readonly env?: Readonly<Record<string, string>> }
interface Row { readonly name: string; readonly medianMs: number; readonly minMs: number; readonly maxMs: number; readonly cpuMedianMs?: number; readonly runs: number }
interface Sample { readonly wallMs: number; readonly cpuMs?: number }

/** GNU time, when installed, reports the child's CPU (user + system): less at the mercy of a loaded machine than wall time. */
const GNU_TIME = '/usr/bin/time';

function arg(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One timed run; a run that fails makes the benchmark fail (a fast error is no start-up figure). */
function timeOnce(c: Case, cwd: string): Sample {
  const cpuFile = join(cwd, 'cpu.txt');
  const withTime = existsSync(GNU_TIME);
  const [cmd, args] = withTime ? [GNU_TIME, ['-o', cpuFile, '-f', '%U %S', process.execPath, ...c.argv]] : [process.execPath, [...c.argv]];
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ANSIBLE_CONFIG: join(cwd, 'ansible.cfg'), ...c.env } });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${c.name} exited ${String(r.status)}:\n${r.stdout}${r.stderr}`);
  if (!withTime) return { wallMs };
  const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000 };
}

function row(c: Case, samples: readonly Sample[]): Row {
  const times = samples.map((s) => s.wallMs);
  const cpu = samples.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
  return { name: c.name, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), ...(cpu.length > 0 ? { cpuMedianMs: median(cpu) } : {}), runs: samples.length };
}

/** The cases take turns, run after run: a load that comes and goes on a shared machine hits them alike. */
function measureAll(cases: readonly Case[], runs: number, cwd: string): Row[] {
  for (const c of cases) timeOnce(c, cwd); // warm the page cache (and write the code cache); not counted
  const samples = cases.map((): Sample[] => []);
  for (let i = 0; i < runs; i++) cases.forEach((c, k) => samples[k]!.push(timeOnce(c, cwd)));
  return cases.map((c, k) => row(c, samples[k]!));
}

function main(argv: string[]): number {
  const repo = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  const runs = Number(arg(argv, '--runs', '10'));
  const cli = arg(argv, '--cli', join(repo, 'bin', 'tsplay.js'));
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-startup-'));
  try {
    writeFileSync(join(dir, 'empty.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks: []\n');
    writeFileSync(join(dir, 'ansible.cfg'), `[defaults]\nretry_files_enabled = False\nroles_path = ${join(repo, 'roles')}\n`);
    const cases: Case[] = [
      { name: 'empty playbook', argv: [cli, 'empty.yml', '-i', 'localhost,'] },
      // what a run pays without V8's cached code (the first run after a build writes it)
      { name: 'empty playbook, no code cache', argv: [cli, 'empty.yml', '-i', 'localhost,'], env: { TSPLAY_NO_CODE_CACHE: '1' } },
      { name: '--syntax-check playbooks/cluster.yml', argv: [cli, '--syntax-check', join(repo, 'playbooks', 'cluster.yml'), '-i', join(repo, 'inventory', 'sample')] },
      { name: '--version', argv: [cli, '--version'] },
      { name: 'node -e 0 (node alone, for scale)', argv: ['-e', '0'] },
    ];
    const load0 = loadavg();
    const rows = measureAll(cases, runs, dir);
    const load = loadavg().map((l, i) => ((l + load0[i]!) / 2).toFixed(2));
    console.log(`\nstart-up, ${runs} runs each, load average ${load.join(' ')} (${process.version})\n`);
    console.log('| command | median ms | min ms | max ms | CPU median ms |');
    console.log('|---|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.name} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)} | ${r.maxMs.toFixed(0)} | ${r.cpuMedianMs?.toFixed(0) ?? '-'} |`);
    mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
    writeFileSync(join(repo, 'bench', 'results', 'startup.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, loadavg: load, rows }, null, 2)}\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));
