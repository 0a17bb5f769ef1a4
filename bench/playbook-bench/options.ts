import { resolve } from 'node:path';

export type Engine = 'ansible' | 'tsplay';
export const ENGINES: readonly Engine[] = ['ansible', 'tsplay'];

/** What one `npm run bench` does; every field has a default (see parseBenchArgs). */
export interface BenchOptions {
  /** Host counts to measure, each against the first N hosts of one lab. */
  readonly hostCounts: readonly number[];
  readonly tasks: number;
  readonly engines: readonly Engine[];
  readonly labName: string;
  readonly subnet: string;
  readonly labKind: 'systemd' | 'netns';
  readonly keepLab: boolean;
  /** Where the JSON results go (null: not written). */
  readonly jsonPath: string | null;
  /** Where each run's full output is kept (for profiling and failures). */
  readonly logDir: string;
  /** Measurements of each engine and run (median reported); null: repeatsFor's policy. */
  readonly repeat: number | null;
  /** Seconds one engine run may take before it is killed. */
  readonly runTimeoutSeconds: number;
  readonly log: (line: string) => void;
  /** Aborted on Ctrl-C: no further engine run starts; the lab still comes down. */
  readonly abort?: AbortSignal;
}

export const USAGE = `usage: npm run bench -- [--hosts 3,20] [--tasks 50] [--engines ansible,tsplay]
       [--lab-name tsplaybn] [--subnet 10.88.10] [--kind systemd|netns] [--keep-lab]
       [--json bench/results/latest.json | --no-json] [--log-dir bench/results/logs] [--timeout 900]
       [--repeat N  (default: 3 up to 5 hosts, else 1)]`;

function intList(flag: string, v: string): number[] {
  const out = v.split(',').map((s) => Number(s.trim()));
  if (out.length === 0 || out.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${flag} takes positive integers, got '${v}'`);
  return out;
}

function engineList(v: string): Engine[] {
  const out = v.split(',').map((s) => s.trim());
  for (const e of out) if (!ENGINES.includes(e as Engine)) throw new Error(`unknown engine '${e}' (use ${ENGINES.join(', ')})`);
  return out as Engine[];
}

/** argv after the script name; repoRoot anchors the default result and log paths. */
export function parseBenchArgs(argv: readonly string[], repoRoot: string, log: (l: string) => void): BenchOptions {
  const o = {
    hostCounts: [3, 20] as readonly number[], tasks: 50, engines: ENGINES, labName: 'tsplaybn', subnet: '10.88.10',
    labKind: 'systemd' as 'systemd' | 'netns', keepLab: false, jsonPath: resolve(repoRoot, 'bench/results/latest.json') as string | null,
    logDir: resolve(repoRoot, 'bench/results/logs'), runTimeoutSeconds: 900, repeat: null as number | null, log,
  };
  const args = [...argv];
  const value = (flag: string): string => {
    const v = args.shift();
    if (v === undefined) throw new Error(`${flag} needs a value`);
    return v;
  };
  while (args.length > 0) {
    const flag = args.shift()!;
    switch (flag) {
      case '--hosts': o.hostCounts = intList(flag, value(flag)); break;
      case '--tasks': o.tasks = intList(flag, value(flag))[0]!; break;
      case '--engines': o.engines = engineList(value(flag)); break;
      case '--lab-name': o.labName = value(flag); break;
      case '--subnet': o.subnet = value(flag); break;
      case '--kind': o.labKind = value(flag) === 'netns' ? 'netns' : 'systemd'; break;
      case '--keep-lab': o.keepLab = true; break;
      case '--json': o.jsonPath = resolve(value(flag)); break;
      case '--no-json': o.jsonPath = null; break;
      case '--log-dir': o.logDir = resolve(value(flag)); break;
      case '--timeout': o.runTimeoutSeconds = intList(flag, value(flag))[0]!; break;
      case '--repeat': o.repeat = intList(flag, value(flag))[0]!; break;
      default: throw new Error(`unknown option '${flag}'\n${USAGE}`);
    }
  }
  return o;
}
