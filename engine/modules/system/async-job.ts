import { randomBytes, randomInt } from 'node:crypto';
import { sh, verbatim, type Verbatim } from '../../transport/shell.js';
import type { AsyncSpec } from '../../types/module.js';

/**
 * An async job on the host, in plain sh (no python there): the job runs in a session of its
 * own (setsid), so it survives the controller's connection dropping; a watchdog kills its whole
 * process group when `async` seconds are up. Files in the async dir (0700), per job id JID:
 *   JID       ansible's results file: {"started": 1, "finished": 0|1, "ansible_job_id": ...}
 *   JID.rc    written when the job ends: "RC START END" (epoch seconds) and "timeout" if killed
 *   JID.out / JID.err / JID.in   the job's stdout, stderr and stdin
 */

/** Like ansible's job ids: j + 12 digits + . + a number. */
export function newJobId(): string {
  return `j${randomInt(1e11, 1e12 - 1)}.${randomInt(1000, 99999)}`;
}

/** The async dir as a shell word (for sh``): ~/ expands to the (become) user's $HOME on the host. */
export function dirWord(dir: string): Verbatim {
  if (dir === '~') return verbatim('"$HOME"');
  return verbatim(dir.startsWith('~/') ? sh`"$HOME"/${dir.slice(2)}` : sh`${dir}`);
}

// $1 = job file prefix, $2 = seconds, $3 = the job's shell text.
const WRAPPER = [
  'f=$1; secs=$2',
  'start=$(date +%s.%N)',
  'setsid /bin/sh -c "$3" <"$f.in" >"$f.out" 2>"$f.err" &',
  'j=$!',
  'echo "$j" >"$f.pid"',
  `( trap 'kill $s 2>/dev/null; exit 0' TERM; sleep "$secs" & s=$!; wait $s; echo timeout >"$f.killed"; kill -TERM -"$j" 2>/dev/null; sleep 2; kill -KILL -"$j" 2>/dev/null ) &`,
  'w=$!',
  'wait "$j"; rc=$?',
  'kill "$w" 2>/dev/null',
  'end=$(date +%s.%N)',
  'k=; [ -e "$f.killed" ] && k=timeout',
  'echo "$rc $start $end $k" >"$f.rc.tmp" && mv "$f.rc.tmp" "$f.rc"',
].join('\n');

/** Starts the job and returns at once; `before` (creates/removes) may print and exit first. */
export function startScript(spec: AsyncSpec, jid: string, before: string, body: string, hasStdin: boolean, cmd: unknown): string {
  const status = JSON.stringify({ started: 1, finished: 0, ansible_job_id: jid, cmd });
  return [
    before,
    'umask 077',
    sh`d=${dirWord(spec.dir)}`,
    'mkdir -p "$d" || exit 97',
    sh`f="$d"/${jid}`,
    hasStdin ? 'cat >"$f.in"' : ': >"$f.in"',
    sh`printf '%s\\n' ${status} >"$f.tmp" && mv "$f.tmp" "$f"`,
    sh`setsid /bin/sh -c ${WRAPPER} tsplay-async "$f" ${spec.seconds} ${body} </dev/null >/dev/null 2>&1 &`,
    'printf "%s" "$f"',
  ].join('\n');
}

export interface JobPoll {
  readonly kind: 'missing' | 'running' | 'finished';
  readonly resultsFile: string;
  readonly status: Record<string, unknown>;
  readonly rc?: number;
  readonly startSec?: number;
  readonly endSec?: number;
  readonly timedOut?: boolean;
  readonly stdout?: string;
  readonly stderr?: string;
}

/** One round trip: the status, and once finished the rc line and the outputs (and, with cleanup, removes them). */
export function pollScript(dir: string, jid: string, sep: string, cleanup: boolean): string {
  return [
    sh`d=${dirWord(dir)}`,
    sh`f="$d"/${jid}`,
    'printf "%s\\n" "$f"',
    `[ -e "$f" ] || { echo ${sep}-missing; exit 0; }`,
    'cat "$f"',
    `[ -e "$f.rc" ] || exit 0`,
    `printf '\\n${sep}\\n'; cat "$f.rc"; printf '\\n${sep}\\n'; cat "$f.out"; printf '\\n${sep}\\n'; cat "$f.err"`,
    // like ansible: a collected job is erased, one that timed out stays for inspection
    cleanup ? '[ -e "$f.killed" ] || rm -f "$f" "$f.rc" "$f.out" "$f.err" "$f.in" "$f.pid"' : '',
  ].join('\n');
}

export function newSeparator(): string {
  return `@@TSPLAY-ASYNC-${randomBytes(8).toString('hex')}`;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function parsePoll(stdout: string, sep: string): JobPoll {
  const nl = stdout.indexOf('\n');
  const resultsFile = stdout.slice(0, nl);
  const rest = stdout.slice(nl + 1);
  if (rest.startsWith(`${sep}-missing`)) return { kind: 'missing', resultsFile, status: {} };
  // sections: status, then (once finished) the rc line, stdout and stderr
  const parts = rest.split(`\n${sep}\n`);
  const status = parseJson(parts[0]!.trim());
  if (parts.length < 4) return { kind: 'running', resultsFile, status };
  const [rc, start, end, killed] = parts[1]!.trim().split(' ');
  return {
    kind: 'finished', resultsFile, status, rc: Number(rc), startSec: Number(start), endSec: Number(end),
    timedOut: killed === 'timeout', stdout: parts[2]!, stderr: parts.slice(3).join(`\n${sep}\n`),
  };
}
