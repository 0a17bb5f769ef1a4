/**
 * Runs one conformance case (a folder under cases/) with ansible-playbook and with tsplay,
 * concurrently, each in a fresh temp dir passed as `-e conformance_tmp=DIR`, and returns both
 * normalized results. Format of a case: /work/helper-notes/conformance.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedEnv } from '../fixtures/oracle/env.js';
import { normalizeRun, perHostOrder, type NormalizedRun } from './normalize.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
export const CASES_DIR = join(HERE, 'cases');
export const TSPLAY_BIN = join(REPO_ROOT, 'bin', 'tsplay.js');
export const TSPLAY_MAIN = join(REPO_ROOT, 'dist', 'engine', 'cli', 'main.js');

/** Per engine run; a case should take < 1.5 s under ansible, this only stops hangs. */
export const ENGINE_TIMEOUT_MS = 45_000;

export type EngineName = 'ansible' | 'tsplay';

export interface CaseSpec {
  name: string;
  dir: string;
  /** inventory path relative to the case folder: `inventory`, `inventory.yml` or an `inventory/` folder */
  inventory: string;
  args: string[];
  description?: string;
  /** "per-host": compare each host's sequence of results, not the interleaving (free, host_pinned) */
  order?: 'per-host';
  /** a pattern both engines' stderr must match (error cases: the same message) */
  stderr?: string;
  /** extra environment for both engines (e.g. ANSIBLE_STRATEGY) */
  env?: Record<string, string>;
}

export interface EngineRun {
  engine: EngineName;
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  tmp: string;
  timedOut: boolean;
}

export interface CaseResult {
  spec: CaseSpec;
  ansible: NormalizedRun;
  tsplay: NormalizedRun;
  raw: { ansible: EngineRun; tsplay: EngineRun };
}

const INVENTORY_NAMES = ['inventory', 'inventory.yml', 'inventory.yaml', 'inventory.ini'];

/** Case folder names under `root`, sorted (a folder counts when it holds playbook.yml). */
export function listCases(root: string = CASES_DIR): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => statSync(join(root, n)).isDirectory() && existsSync(join(root, n, 'playbook.yml')))
    .sort();
}

export function loadCase(dir: string): CaseSpec {
  const abs = resolve(dir);
  const jsonPath = join(abs, 'case.json');
  const meta = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>) : {};
  const inventory = typeof meta['inventory'] === 'string' ? meta['inventory'] : INVENTORY_NAMES.find((n) => existsSync(join(abs, n)));
  if (inventory === undefined) throw new Error(`case ${abs}: no inventory, inventory.yml or inventory/ folder`);
  const args = Array.isArray(meta['args']) ? meta['args'].map(String) : [];
  const spec: CaseSpec = { name: abs.split('/').pop()!, dir: abs, inventory, args };
  if (typeof meta['description'] === 'string') spec.description = meta['description'];
  if (meta['order'] === 'per-host') spec.order = 'per-host';
  if (typeof meta['stderr'] === 'string') spec.stderr = meta['stderr'];
  if (meta['env'] !== null && typeof meta['env'] === 'object') spec.env = Object.fromEntries(Object.entries(meta['env']).map(([k, v]) => [k, String(v)]));
  return spec;
}

/** True when ansible-playbook runs (the suite must fail, not skip, when it does not). */
export function ansibleAvailable(): boolean {
  const r = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 && /ansible-playbook \[core 2\./.test(r.stdout);
}

export function tsplayBuilt(): boolean {
  const dist = process.env['CONFORMANCE_DIST'];
  return existsSync(dist ? join(resolve(dist), 'engine', 'cli', 'main.js') : TSPLAY_MAIN);
}

/**
 * The same environment for both engines: ANSIBLE_* / TSPLAY_* of the caller removed first, and no
 * ansible.cfg but the case's own (a case folder may hold one, like a user's project).
 */
function engineEnv(caseDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const own = join(caseDir, 'ansible.cfg');
  return isolatedEnv({
    ...extra,
    ...(existsSync(own) ? { ANSIBLE_CONFIG: own } : {}),
    ANSIBLE_STDOUT_CALLBACK: 'json',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_HOST_KEY_CHECKING: '0',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_LOCALHOST_WARNING: '0',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: '0',
    NO_COLOR: '1',
  });
}

/**
 * tsplay normally runs through bin/tsplay.js (dist/). CONFORMANCE_DIST=DIR runs a private build
 * instead (`npx tsc -p . --outDir DIR`), so a shared dist/ rebuilt by others mid-run cannot interfere.
 */
function tsplayArgv(args: string[]): string[] {
  const dist = process.env['CONFORMANCE_DIST'];
  if (dist === undefined || dist === '') return [TSPLAY_BIN, ...args];
  const main = JSON.stringify(join(resolve(dist), 'engine', 'cli', 'main.js'));
  const launcher = `import(${main}).then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })`;
  return ['--input-type=module', '-e', launcher, '--', ...args];
}

function engineArgv(engine: EngineName, spec: CaseSpec, tmp: string): [string, string[]] {
  const common = ['-i', spec.inventory, 'playbook.yml', ...spec.args, '-e', `conformance_tmp=${tmp}`];
  return engine === 'ansible'
    ? ['ansible-playbook', common]
    : [process.execPath, tsplayArgv([...common, '--output', 'json'])];
}

/** Runs one engine on a case in a fresh temp dir (removed afterwards). */
export function runEngine(engine: EngineName, spec: CaseSpec): Promise<EngineRun> {
  const tmp = mkdtempSync(join(tmpdir(), `tsplay-conf-${engine}-`));
  const [cmd, argv] = engineArgv(engine, spec, tmp);
  const started = Date.now();
  return new Promise<EngineRun>((done, fail) => {
    const child = spawn(cmd, argv, { cwd: spec.dir, env: engineEnv(spec.dir, spec.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    // Kill only the child we started, by its pid.
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, ENGINE_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => { clearTimeout(timer); rmSync(tmp, { recursive: true, force: true }); fail(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(tmp, { recursive: true, force: true });
      done({
        engine,
        exitCode: code ?? (signal ? 128 : 255),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        durationMs: Date.now() - started,
        tmp,
        timedOut,
      });
    });
  });
}

/** Runs both engines concurrently on one case folder and normalizes both outputs. */
export async function runCase(dir: string): Promise<CaseResult> {
  const spec = loadCase(dir);
  const [a, t] = await Promise.all([runEngine('ansible', spec), runEngine('tsplay', spec)]);
  for (const r of [a, t]) {
    if (r.timedOut) throw new Error(`${spec.name}: ${r.engine} timed out after ${ENGINE_TIMEOUT_MS} ms\n${r.stderr}`);
  }
  const order = spec.order === 'per-host' ? perHostOrder : (n: NormalizedRun) => n;
  return {
    spec,
    ansible: order(normalizeRun({ exitCode: a.exitCode, stdout: a.stdout, tmp: a.tmp })),
    tsplay: order(normalizeRun({ exitCode: t.exitCode, stdout: t.stdout, tmp: t.tmp })),
    raw: { ansible: a, tsplay: t },
  };
}
