import { createHash } from 'node:crypto';
import type { HostAccess } from '../../types/module.js';
import { randomWord, sh, verbatim } from '../../transport/shell.js';
import { attrCommands, type AttrChanges } from './attrs.js';
import { backupName, basename, dirname } from './exec.js';
import { formatMode } from './mode.js';
import { parseProbe, probeScript, type RemoteStat } from './probe.js';

export interface WriteSpec {
  readonly dest: string;
  readonly data: Buffer;
  /** Probed dest before the write: its mode and owner are kept unless changes say otherwise. */
  readonly existing?: RemoteStat;
  readonly changes: AttrChanges;
  /** Command with %s for the temp file (copy/template `validate`). */
  readonly validate?: string;
  readonly backup?: boolean;
  /** Stat dest after the write in the same exec (copy/template report it); editors need not. */
  readonly statAfter?: boolean;
}

export type WriteOutcome =
  | { readonly ok: true; readonly after?: RemoteStat; readonly backupFile?: string }
  | { readonly ok: false; readonly msg: string; readonly rc: number; readonly stdout: string; readonly stderr: string };

const VALIDATE_RC = 97;

/** The shell text that writes dest (no closing stat), and what goes on its stdin. */
export interface WritePlan {
  readonly script: string;
  readonly stdin?: Buffer;
  readonly backupFile?: string;
}

/**
 * Writes dest atomically, in ONE exec whatever the become settings: the bytes land in a temp
 * file in dest's own directory, and dest is replaced (`mv -f`, a rename) only once the temp
 * file is whole and has its final mode and owner. The temp file is private (umask 077) until
 * then, and the traps remove it on every way out: a failed step, ENOSPC, the session's hangup,
 * a broken pipe, a kill by the controller's cancel. The closing stat (statAfter) rides along.
 */
export async function atomicWrite(host: HostAccess, spec: WriteSpec): Promise<WriteOutcome> {
  const plan = writePlan(spec);
  if (typeof plan === 'string') return { ok: false, msg: plan, rc: 1, stdout: '', stderr: '' };
  const script = spec.statAfter === true ? `${plan.script}\n${probeScript([{ path: spec.dest }])}` : plan.script;
  const res = await host.exec(script, { stdin: plan.stdin });
  if (res.rc !== 0) return { ok: false, msg: writeFailure(spec.dest, res.rc, res.stderr), rc: res.rc, stdout: res.stdout, stderr: res.stderr };
  if (spec.statAfter !== true) return { ok: true, backupFile: plan.backupFile };
  const [after] = parseProbe([{ path: spec.dest }], res.stdout);
  if (after === undefined || !after.exists) throw new Error(`${spec.dest} missing after write`);
  return { ok: true, after, backupFile: plan.backupFile };
}

export function writeFailure(dest: string, rc: number, stderr: string): string {
  return rc === VALIDATE_RC ? 'failed to validate' : `failed to write ${dest}: ${stderr.trim()}`;
}

/** The write as shell text, or why it cannot be done (a validate without %s, like ansible). */
export function writePlan(spec: WriteSpec): WritePlan | string {
  if (spec.validate !== undefined && !spec.validate.includes('%s')) return `validate must contain %s: ${spec.validate}`;
  const tmp = `${dirname(spec.dest)}/.${basename(spec.dest)}.tsplay-${randomWord()}`;
  const backupFile = spec.backup === true && spec.existing !== undefined ? backupName(spec.dest) : undefined;
  const inline = inlineable(spec.data);
  const receive = inline ? inlineLines(tmp, spec.data) : receiveLines(tmp, spec.data);
  const lines = [...receive, ...keepAttrs(tmp, spec), ...newFileMode(tmp, spec), ...attrCommands(tmp, spec.changes)];
  if (spec.validate !== undefined) {
    // the user's validate command is shell text as written; only the temp file is put in, quoted
    lines.push(sh`if ! ${verbatim(spec.validate.split('%s').join(sh`${tmp}`))}; then exit ${VALIDATE_RC}; fi`);
  }
  if (backupFile !== undefined) lines.push(sh`cp -p -- ${spec.dest} ${backupFile}`);
  // once renamed there is no temp file left: the EXIT trap would only start a useless rm
  lines.push(sh`mv -f -- ${tmp} ${spec.dest}`, 'trap - EXIT');
  return { script: lines.join('\n'), stdin: inline ? undefined : spec.data, backupFile };
}

/** Payloads whose quoted text stays far below argv's 128 KiB per argument (see inlineable). */
const INLINE_MAX = 32 * 1024;

/**
 * Bytes that travel inside the command text itself and are written by the shell's printf
 * builtin: no program starts (no cat, no size or checksum proof). The proof is not needed
 * there: a command's text reaches the host whole or not at all (one SSH exec request, one
 * frame of the persistent shell, one argv through sudo), while a stdin stream just ends early
 * when the connection drops. UTF-8 without NUL only (a shell word cannot carry NUL, and the
 * command is text); each quoting level on the way (this line, sudo's sh -c, the login
 * shell's sh -c) turns a ' into 4 characters, hence the weight.
 */
export function inlineable(data: Buffer): boolean {
  if (data.length > INLINE_MAX || data.includes(0)) return false;
  let quotes = 0;
  for (const b of data) if (b === 0x27) quotes++;
  return data.length + 63 * quotes <= INLINE_MAX && Buffer.from(data.toString('utf8'), 'utf8').equals(data);
}

/** Like receiveLines, for an inlineable payload: printf fails (set -e) on a full disk. */
function inlineLines(tmp: string, data: Buffer): string[] {
  return [...guardLines(tmp), sh`printf '%s' ${data.toString('utf8')} > ${tmp}`];
}

/** set -e, the traps that remove tmp on every way out, and a private umask for it. */
function guardLines(tmp: string): string[] {
  return [
    'set -e',
    sh`trap ${sh`rm -f -- ${tmp}`} EXIT`,
    "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM",
    'tsplay_umask=$(umask); umask 077',
  ];
}

/**
 * Shell lines that receive the payload into tmp and prove it complete. The trap's command is
 * itself one quoted word: a dest with blanks or quotes must survive. A trapped signal exits,
 * and exiting runs the EXIT trap (dash skips EXIT traps on an untrapped signal's death).
 */
export function receiveLines(tmp: string, data: Buffer): string[] {
  const sum = createHash('sha1').update(data).digest('hex');
  return [
    ...guardLines(tmp),
    sh`cat > ${tmp}`,
    sh`tsplay_size=$(wc -c < ${tmp})`,
    `if [ "$tsplay_size" -ne ${data.length} ]; then echo "incomplete upload: received $tsplay_size of ${data.length} bytes" >&2; exit 1; fi`,
    sh`tsplay_sum=$(sha1sum < ${tmp}); if [ "\${tsplay_sum%% *}" != ${sum} ]; then echo 'corrupt upload: sha1 mismatch' >&2; exit 1; fi`,
  ];
}

/**
 * Like ansible's atomic_move: the replacement keeps the old file's mode and ownership. The
 * temp file is ours (our uid, our gid unless the folder is setgid): when dest is too, the chown
 * would change nothing, and the builtin tests spare starting it.
 */
function keepAttrs(tmp: string, spec: WriteSpec): string[] {
  const { existing, changes } = spec;
  if (existing === undefined || existing.type !== 'file') return [];
  // chown may be refused to a non-root login user; the file then keeps the writer's ids
  const ours = sh`[ -O ${spec.dest} ] && [ -G ${spec.dest} ] && [ ! -g ${dirname(spec.dest)} ]`;
  const own = `${ours} || ${sh`chown ${existing.uid}:${existing.gid} -- ${tmp} 2>/dev/null || true`}`;
  // a mode to change is set by attrCommands: one chmod, not two
  return changes.mode === undefined ? [own, sh`chmod ${formatMode(existing.mode)} -- ${tmp}`] : [own];
}

/** A new file without a `mode` gets what the session's umask gives (0644 under 022), like a plain create. */
function newFileMode(tmp: string, spec: WriteSpec): string[] {
  if ((spec.existing !== undefined && spec.existing.type === 'file') || spec.changes.mode !== undefined) return [];
  return [sh`chmod "$(printf '%o' $((0666 & ~0$tsplay_umask)))" -- ${tmp}`];
}
