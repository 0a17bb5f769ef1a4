import type { ModuleResult } from '../../types/module.js';
import { bool, str } from '../remote-file/args.js';

/**
 * What command, shell and script report: the result of a command that ran (in the foreground or
 * as an async job) or was skipped by creates/removes, in ansible's shape and wording.
 */

/** What to run, already decided by command/shell/script; runCommand does the rest. */
export interface CommandSpec {
  /** Shell text for the host's /bin/sh, every word quoted by construction. */
  readonly shellText: string;
  /** The `cmd` field of the result (argv list for command, the string for shell). */
  readonly cmdField: unknown;
  readonly args: Readonly<Record<string, unknown>>;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Python datetime str(): 2026-11-24 08:50:49.265711 */
export function pyTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`;
}

/** Python timedelta str(): 0:00:00.003215 */
export function pyDelta(ms: number): string {
  const s = Math.floor(ms / 1000);
  const us = Math.round((ms - s * 1000) * 1000);
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(us, 6)}`;
}

export function skippedResult(args: Readonly<Record<string, unknown>>, cmdField: unknown, createsHit: boolean, check = false): ModuleResult {
  const creates = str(args.creates);
  const removes = str(args.removes);
  // Like ansible: "Would not run" in check mode, "Did not run" otherwise.
  const verb = check ? 'Would' : 'Did';
  const [stdout, msg] = createsHit
    ? [`skipped, since ${creates} exists`, `${verb} not run command since '${creates}' exists`]
    : [`skipped, since ${removes} does not exist`, `${verb} not run command since '${removes}' does not exist`];
  return { changed: false, cmd: cmdField, rc: 0, stdout, stderr: '', stdout_lines: [stdout], stderr_lines: [], start: null, end: null, delta: null, msg };
}

/** The result of a command that ran (in the foreground or as an async job), like ansible's. */
export function commandResult(cmdField: unknown, args: Readonly<Record<string, unknown>>, res: { rc: number; stdout: string; stderr: string; startAt: Date; endAt: Date }): ModuleResult {
  const strip = bool(args.strip_empty_ends, true);
  const stdout = strip ? res.stdout.replace(/[\r\n]+$/, '') : res.stdout;
  const stderr = strip ? res.stderr.replace(/[\r\n]+$/, '') : res.stderr;
  const out: ModuleResult = {
    changed: true, cmd: cmdField, rc: res.rc, stdout, stderr, stdout_lines: splitLines(stdout), stderr_lines: splitLines(stderr),
    start: pyTime(res.startAt), end: pyTime(res.endAt), delta: pyDelta(res.endAt.getTime() - res.startAt.getTime()), msg: '',
  };
  if (res.rc !== 0) { out.failed = true; out.msg = 'non-zero return code'; }
  return out;
}

/** Python str.splitlines() on the already-stripped text. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
