/**
 * Playbook benchmark: tsplay against tuned ansible-playbook on the local lab (issue 3, item 8).
 * Run: npm run bench [-- --hosts 3,20 --tasks 50 --keep-lab ...]  (root: it brings a lab up)
 * Prints a Markdown table and writes bench/results/latest.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBench, type Acceptance } from './playbook-bench/bench.js';
import { parseBenchArgs, USAGE } from './playbook-bench/options.js';

/** The checkout this file lives in (works from bench/ under vitest and from dist/bench/). */
export function findRepoRoot(from: string): string {
  let dir = from;
  while (dir !== dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tsplay') return dir;
    dir = dirname(dir);
  }
  throw new Error(`no tsplay checkout above ${from}`);
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  const ac = new AbortController();
  const o = { ...parseBenchArgs(argv, repoRoot, (l) => console.error(`[bench] ${l}`)), abort: ac.signal };
  // Ctrl-C reaches the engines too (same process group); no further run starts and
  // runBench's finally still takes the lab down.
  process.once('SIGINT', () => {
    console.error('[bench] interrupted: tearing the lab down');
    ac.abort(new Error('interrupted'));
  });
  const { rows, table, json } = await runBench(o, repoRoot, argv);
  console.log(`\nplaybook: 1 play, facts on, ${o.tasks} tasks (command, copy, template, lineinfile, file); ansible tuned: pipelining, ControlPersist, forks ${(json.setup as { forks: number }).forks}\n`);
  console.log(table);
  for (const acc of json.acceptance as Acceptance[]) {
    console.log(`acceptance (tsplay >= ${acc.target}x faster on ${acc.hosts} hosts): ${acc.met ? 'met' : 'NOT met'} (${acc.ratios.map((r) => `${r.run} ${r.ratio.toFixed(1)}x`).join(', ') || 'no ratio'})`);
  }
  if (o.jsonPath) console.log(`results: ${o.jsonPath}; logs: ${o.logDir}`);
  return rows.some((r) => r.warnings.length > 0) ? 1 : 0;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
