import { join } from 'node:path';
import { spawnText } from '../module-conformance/engines.js';
import { kubesprayEnv, ROOT, type KubesprayTree } from './kubespray-tree.js';

export type Engine = 'ansible' | 'tsplay';
export type Status = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable';

export interface Run {
  readonly code: number | null;
  readonly report: Report;
  readonly stderr: string;
  readonly seconds: number;
}

interface HostResult {
  readonly changed?: boolean;
  readonly failed?: boolean;
  readonly skipped?: boolean;
  readonly unreachable?: boolean;
  readonly msg?: unknown;
}

/** The json callback's shape (tsplay's --output json is the same). */
export interface Report {
  readonly plays: readonly { play: { name: string }; tasks: readonly { task: { name: string }; hosts: Readonly<Record<string, HostResult>> }[] }[];
  /** The recap: per host ok/changed/failures/skipped/... counts. */
  readonly stats?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** One task as both engines report it: per host a status (and a message where asked). */
export interface Row {
  readonly play: string;
  readonly task: string;
  readonly hosts: Readonly<Record<string, string>>;
}

/** The report in stdout; ansible's profile_tasks callback (Kubespray's ansible.cfg) may print around it. */
function parseReport(stdout: string, what: string): Report {
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`${what}: no json report in stdout:\n${stdout.slice(0, 2000)}`);
  let depth = 0;
  let inString = false;
  for (let i = start; i < stdout.length; i++) {
    const c = stdout[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return JSON.parse(stdout.slice(start, i + 1)) as Report;
  }
  throw new Error(`${what}: unterminated json report`);
}

/**
 * Runs a playbook of the Kubespray tree with one engine, each with its own fact cache (Kubespray's
 * ansible.cfg caches facts in /tmp), and times it.
 */
export async function runEngine(engine: Engine, tree: KubesprayTree, playbook: string, args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Promise<Run> {
  const env = kubesprayEnv(tree, { ANSIBLE_CACHE_PLUGIN_CONNECTION: join(tree.dir, '..', `facts-${engine}`), ANSIBLE_STDOUT_CALLBACK: 'json', ...extraEnv });
  const argv = [playbook, '-i', tree.inventory, ...args];
  const t0 = performance.now();
  const out = engine === 'ansible'
    ? await spawnText('ansible-playbook', argv, env, tree.dir)
    : await spawnText(process.execPath, [join(ROOT, 'bin', 'tsplay.js'), ...argv, '--output', 'json'], env, tree.dir);
  const seconds = (performance.now() - t0) / 1000;
  return { code: out.code, report: parseReport(out.stdout, `${engine} ${playbook}`), stderr: out.stderr, seconds };
}

function statusOf(r: HostResult): Status {
  if (r.unreachable) return 'unreachable';
  if (r.failed) return 'failed';
  if (r.skipped) return 'skipped';
  return r.changed ? 'changed' : 'ok';
}

/** Per task, each host's status; with `withMsg`, failed and debug results add their message. */
export function rows(report: Report, withMsg = false, replace: (s: string) => string = (s) => s): Row[] {
  return report.plays.flatMap((p) => p.tasks.map((t) => ({
    play: p.play.name,
    task: t.task.name,
    hosts: Object.fromEntries(Object.entries(t.hosts).sort(([a], [b]) => a.localeCompare(b)).map(([h, r]) => {
      const st = statusOf(r);
      const msg = withMsg && r.msg !== undefined && st !== 'skipped' ? ` ${replace(typeof r.msg === 'string' ? r.msg : JSON.stringify(r.msg))}` : '';
      return [h, `${st}${msg}`];
    })),
  })));
}

/** Where ansible-playbook stopped: the rows up to and including the first with a failed host. */
export function untilFirstFailure(all: readonly Row[]): Row[] {
  const i = all.findIndex((r) => Object.values(r.hosts).some((s) => s.startsWith('failed') || s.startsWith('unreachable')));
  return i < 0 ? [...all] : all.slice(0, i + 1);
}
