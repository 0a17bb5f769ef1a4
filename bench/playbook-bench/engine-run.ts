import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Engine } from './options.js';
import { parseRecap, type RecapLine } from './recap.js';

export type RunKind = 'first' | 'idempotent';

/** Everything needed to start one engine on the bench project. */
export interface EngineRunInput {
  readonly engine: Engine;
  readonly run: RunKind;
  readonly projectDir: string;
  readonly ansibleCfg: string;
  readonly inventory: string;
  readonly repoRoot: string;
  readonly logFile: string;
  readonly timeoutSeconds: number;
}

export interface EngineRunOutcome {
  readonly exitCode: number;
  readonly wallSeconds: number;
  readonly recap: RecapLine[];
  readonly output: string;
}

/** argv for one engine; both read the same ansible.cfg (forks) and inventory. */
export function engineArgv(engine: Engine, repoRoot: string, inventory: string): string[] {
  const common = ['site.yml', '-i', inventory, '-e', `bench_engine=${engine}`];
  switch (engine) {
    case 'ansible': return ['ansible-playbook', ...common];
    case 'tsplay': return [process.execPath, join(repoRoot, 'bin', 'tsplay.js'), ...common];
    default: {
      const never: never = engine;
      throw new Error(`unknown engine ${String(never)}`);
    }
  }
}

/** Runs one engine to the end, timing the whole process (start-up included, like a user sees it). */
export async function runEngine(input: EngineRunInput): Promise<EngineRunOutcome> {
  const argv = engineArgv(input.engine, input.repoRoot, input.inventory);
  const env = { ...process.env, ANSIBLE_CONFIG: input.ansibleCfg, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_FORCE_COLOR: '0' };
  const chunks: Buffer[] = [];
  const t0 = performance.now();
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: input.projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), input.timeoutSeconds * 1000);
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal === 'SIGKILL' ? 137 : 128));
    });
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  const output = Buffer.concat(chunks).toString('utf8');
  await writeFile(input.logFile, `$ (cd ${input.projectDir} && ANSIBLE_CONFIG=${input.ansibleCfg} ${argv.join(' ')})\n${output}\n# exit ${exitCode}, ${wallSeconds.toFixed(2)} s\n`);
  return { exitCode, wallSeconds, recap: parseRecap(output), output };
}
