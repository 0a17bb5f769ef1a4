import { sh, verbatim } from '../../transport/shell.js';
import type { ExecResult } from '../../types/connection.js';
import type { ModuleContext } from '../../types/module.js';
import { parseProbe, probeHead, probeScript, unanswered, type ProbeItem, type ProbeResult } from './probe.js';

/**
 * Runs shell text on the host (one round trip) through ctx.probe: the task's become and its
 * `environment:` apply (proxy variables reach curl and apt-get, as they reach ansible's modules).
 * A step that changes the host runs inside ctx.change (the gate).
 */
export function runScript(ctx: ModuleContext, command: string, stdin?: Buffer | string): Promise<ExecResult> {
  return ctx.probe(command, stdin);
}

/**
 * Probes all items in ONE remote command. Only a small file the shell's builtins could not read
 * exactly (textUpTo: NUL bytes, not UTF-8) costs a second one, with the programs.
 */
export async function probe(ctx: ModuleContext, items: readonly ProbeItem[]): Promise<ProbeResult[]> {
  return (await probeAfter(ctx, '', items)).results;
}

/** What a step run before a probe printed (its stdout before the probe's, its stderr). */
export interface ProbedAfter {
  readonly results: ProbeResult[];
  readonly head: string;
  readonly stderr: string;
}

/**
 * `before` (shell text; its output must not hold the probe's markers) and then the probe, in
 * the same ONE remote command: a step that needs no decision of the controller first (a write
 * the host itself decides on) costs no round trip of its own. A step that changes the host
 * must have passed ctx.mayChange.
 */
export async function probeAfter(ctx: ModuleContext, before: string, items: readonly ProbeItem[]): Promise<ProbedAfter> {
  const script = probeScript(items);
  return probed(ctx, items, await runScript(ctx, before === '' ? script : `${before}\n${script}`));
}

/**
 * The results of a probe of items that ran (last) in `res`: a small file the shell's builtins
 * could not read exactly is asked for again, with the programs (one more round trip).
 */
export async function probed(ctx: ModuleContext, items: readonly ProbeItem[], res: ExecResult): Promise<ProbedAfter> {
  const results = parseProbe(items, res.stdout);
  const head = probeHead(res.stdout);
  const again = unanswered(items, results);
  if (again.length === 0) return { results, head, stderr: res.stderr };
  const retry = again.map((i) => ({ ...items[i]!, textUpTo: undefined }));
  const second = parseProbe(retry, (await runScript(ctx, probeScript(retry))).stdout);
  again.forEach((i, k) => (results[i] = second[k]!));
  return { results, head, stderr: res.stderr };
}

const WROTE = '@@TSPLAY-WROTE';

/**
 * Shell text for probeAfter: runs `script` (which starts with `set -e`) only when `path` is
 * absent (no dangling link either) and, if given, `folder` is a directory; then prints whether
 * it ran and its status (see absentStepStatus). The step runs in a subshell outside any
 * condition, so its set -e holds (a condition would switch it off inside).
 */
export function ifAbsent(path: string, script: string, folder?: string): string {
  const cond = sh`[ ! -e ${path} ] && [ ! -L ${path} ]${verbatim(folder === undefined ? '' : sh` && [ -d ${folder} ]`)}`;
  return ['tsplay_w=-', `if ${cond}; then`, `( ${script}\n)`, 'tsplay_w=$?', 'fi', `echo "${WROTE} $tsplay_w"`].join('\n');
}

/** The status of an ifAbsent step (0: done), or undefined when the path was there and it did not run. */
export function absentStepStatus(head: string): number | undefined {
  const m = new RegExp(`^${WROTE} (\\d+)$`, 'm').exec(head);
  return m === null ? undefined : Number(m[1]);
}

export function dirname(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? '/' : trimmed.slice(0, i);
}

export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Like ansible's backup_local: DEST.PID.YYYY-MM-DD@HH:MM:SS~ */
export function backupName(dest: string, now: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const ts = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}@${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
  return `${dest}.${process.pid}.${ts}~`;
}
