import { spawn } from 'node:child_process';
import { TsplayError } from '../errors/index.js';

/** Result of one finished command. */
export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
  /** Working directory (default: the controller's). */
  readonly cwd?: string;
  /** Exit codes that are not failures (default: only 0). */
  readonly okCodes?: readonly number[];
  /** Message prefix for the TsplayError on failure, e.g. "debootstrap failed". */
  readonly what?: string;
  readonly hint?: string;
}

/**
 * Runs argv[0] with argv[1..] (never through a shell: arguments cannot inject anything)
 * and collects its output. Throws a TsplayError on a non-accepted exit code.
 */
export function run(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: opts.env ?? process.env, cwd: opts.cwd, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(failure(argv, opts, `cannot start: ${e.message}`, e)));
    child.on('close', (code, signal) => {
      const res = { code: code ?? 128, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
      if ((opts.okCodes ?? [0]).includes(res.code)) return resolve(res);
      const why = signal ? `killed by ${signal}` : `exit ${res.code}`;
      reject(failure(argv, opts, `${why}: ${lastLines(res.stderr || res.stdout)}`));
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // a child that exits without reading: its exit code tells
      child.stdin.end(opts.input);
    }
  });
}

function failure(argv: readonly string[], opts: ExecOptions, detail: string, cause?: unknown): TsplayError {
  const what = opts.what ?? `${argv.join(' ')} failed`;
  return new TsplayError('lab', `${what}: ${detail}`, { hint: opts.hint, cause });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join('\n');
}
