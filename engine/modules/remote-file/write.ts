import { createHash } from 'node:crypto';
import { ModuleFailure } from '../../errors/index.js';
import type { HostAccess, ModuleContext } from '../../types/module.js';
import { randomWord, sh, verbatim } from '../../transport/shell.js';
import { attrCommands, type AttrChanges } from './attrs.js';
import { backupName, basename, dirname } from './exec.js';
import { formatMode } from './mode.js';
import { parseProbe, probeScript, type ProbeResult, type RemoteStat } from './probe.js';

export interface WriteSpec {
  readonly dest: string;
  readonly data: Buffer;
  /** The backup's name is made from this path (the path as given when dest is a link's target). */
  readonly backupAs?: string;
  /** Probed dest before the write: its mode and owner are kept unless changes say otherwise. */
  readonly existing?: RemoteStat;
  readonly changes: AttrChanges;
  /** Command with %s for the temp file (copy/template `validate`). */
  readonly validate?: string;
  readonly backup?: boolean;
  /** Stat dest after the write in the same exec (copy/template report it); editors need not. */
  readonly statAfter?: boolean;
  /**
   * The caller stats dest after the write and calls fixCreatedMode (statAfter does both): a new
   * file may then get its mode from the umask instead of a chmod (see createdMode).
   */
  readonly checksMode?: boolean;
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
  /** The mode the new file was created with through the umask (no chmod): to check after. */
  readonly createdMode?: number;
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
  const [probed] = parseProbe([{ path: spec.dest }], res.stdout);
  if (probed === undefined || !probed.exists) throw missingAfterWrite(spec.dest);
  const after = await fixCreatedMode(host, spec.dest, probed, plan.createdMode);
  if (typeof after === 'string') return { ok: false, msg: `failed to set the mode of ${spec.dest}: ${after}`, rc: 1, stdout: '', stderr: after };
  return { ok: true, after, backupFile: plan.backupFile };
}

/**
 * A new file's mode wanted from the umask (createdMode) but found otherwise: a default ACL on
 * its folder takes the umask's place. One more exec sets it (chmod) and stats it again; the
 * stat as it was when the mode is right (the usual case: no exec) or none was asked.
 */
export async function fixCreatedMode(host: HostAccess, path: string, after: RemoteStat, createdMode: number | undefined): Promise<RemoteStat | string> {
  if (createdMode === undefined || !modeDiffers(after, createdMode)) return after;
  return attrsThenStat(host, path, [sh`chmod ${formatMode(createdMode)} -- ${path}`]);
}

/**
 * A new file written in the probe's round trip (past the gate) as the probe after it saw it:
 * its stat, with the mode set through the gate when a folder's default ACL overrode the umask
 * (fixCreatedMode), or why that failed. A file gone meanwhile fails the task.
 */
export async function settleCreated(ctx: ModuleContext, path: string, after: ProbeResult, createdMode: number | undefined): Promise<RemoteStat | string> {
  if (!after.exists) throw missingAfterWrite(path);
  const st: RemoteStat = after;
  if (!modeDiffers(st, createdMode)) return st;
  const fixed = await ctx.change(`set the mode of ${path}`, (host) => fixCreatedMode(host, path, st, createdMode));
  return fixed.applied ? fixed.value : st;
}

/** True when a file created for createdMode came out with another mode. */
export function modeDiffers(after: { readonly exists: boolean; readonly mode?: number }, createdMode: number | undefined): boolean {
  return createdMode !== undefined && after.exists && ((after.mode ?? 0) & 0o7777) !== createdMode;
}

/** Applies attribute commands to path and stats it, in one exec: the new stat, or stderr. */
export async function attrsThenStat(host: HostAccess, path: string, cmds: readonly string[]): Promise<RemoteStat | string> {
  const res = await host.exec(['set -e', ...cmds, probeScript([{ path }])].join('\n'));
  if (res.rc !== 0) return res.stderr.trim();
  const [st] = parseProbe([{ path }], res.stdout);
  return st !== undefined && st.exists ? st : `${path} missing after ${cmds.join('; ')}`;
}

/**
 * The mode a new file can be given by the umask its temp file is created under (0666 & ~umask),
 * so no chmod starts: no execute or special bits (a create never sets them), no owner or group
 * to change after (until then the temp file would show its bytes to the writer's group under
 * that mode), and a caller that checks the mode after (a default ACL overrides the umask).
 */
export function createdMode(spec: WriteSpec): number | undefined {
  const { mode, owner, group } = spec.changes;
  const isNew = spec.existing === undefined || spec.existing.type !== 'file';
  const checked = spec.checksMode === true || spec.statAfter === true;
  if (!isNew || !checked || mode === undefined || owner !== undefined || group !== undefined) return undefined;
  return (mode & ~0o666) === 0 ? mode : undefined;
}

/** The stat after a write found no file: something removed it at once (the task fails, not the run). */
export function missingAfterWrite(path: string): ModuleFailure {
  return new ModuleFailure(`${path} is missing right after it was written (removed meanwhile?)`);
}

export function writeFailure(dest: string, rc: number, stderr: string): string {
  return rc === VALIDATE_RC ? 'failed to validate' : `failed to write ${dest}: ${stderr.trim()}`;
}

/** The write as shell text, or why it cannot be done (a validate without %s, like ansible). */
export function writePlan(spec: WriteSpec): WritePlan | string {
  if (spec.validate !== undefined && !spec.validate.includes('%s')) return `validate must contain %s: ${spec.validate}`;
  const tmp = `${dirname(spec.dest)}/.${basename(spec.dest)}.tsplay-${randomWord()}`;
  const backupFile = spec.backup === true && spec.existing !== undefined ? backupName(spec.backupAs ?? spec.dest) : undefined;
  const inline = inlineable(spec.data);
  const created = createdMode(spec);
  const umaskMode = newFileMode(tmp, spec);
  const guard = { createMode: created, keepsUmask: umaskMode.length > 0 };
  const receive = inline ? inlineLines(tmp, spec.data, guard) : receiveLines(tmp, spec.data, guard);
  const changes = created === undefined ? spec.changes : { ...spec.changes, mode: undefined };
  const lines = [...receive, ...keepAttrs(tmp, spec), ...umaskMode, ...attrCommands(tmp, changes)];
  if (spec.validate !== undefined) {
    // the user's validate command is shell text as written; only the temp file is put in, quoted
    lines.push(sh`if ! ${verbatim(spec.validate.split('%s').join(sh`${tmp}`))}; then exit ${VALIDATE_RC}; fi`);
  }
  if (backupFile !== undefined) lines.push(sh`cp -p -- ${spec.dest} ${backupFile}`);
  // once renamed there is no temp file left: the EXIT trap would only start a useless rm
  lines.push(sh`mv -f -- ${tmp} ${spec.dest}`, 'trap - EXIT');
  return { script: lines.join('\n'), stdin: inline ? undefined : spec.data, backupFile, ...(created !== undefined ? { createdMode: created } : {}) };
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
function inlineLines(tmp: string, data: Buffer, guard: Guard): string[] {
  return [...guardLines(tmp, guard), sh`printf '%s' ${data.toString('utf8')} > ${tmp}`];
}

/** How the temp file is created: under the umask of its final mode, or private (077). */
interface Guard {
  readonly createMode?: number;
  /** The session's umask is kept in $tsplay_umask (a new file without a mode takes it). */
  readonly keepsUmask: boolean;
}

/**
 * set -e, the traps that remove tmp on every way out, and the umask tmp is created under:
 * private (077) unless createdMode allowed the final mode. `$(umask)` forks a subshell: only
 * when a new file without a mode needs the session's umask.
 */
function guardLines(tmp: string, guard: Guard = { keepsUmask: true }): string[] {
  const umask = guard.createMode === undefined ? '077' : (~guard.createMode & 0o777).toString(8).padStart(3, '0');
  return [
    'set -e',
    sh`trap ${sh`rm -f -- ${tmp}`} EXIT`,
    "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM",
    `${guard.keepsUmask ? 'tsplay_umask=$(umask); ' : ''}umask ${umask}`,
  ];
}

/**
 * Shell lines that receive the payload into tmp and prove it complete. The trap's command is
 * itself one quoted word: a dest with blanks or quotes must survive. A trapped signal exits,
 * and exiting runs the EXIT trap (dash skips EXIT traps on an untrapped signal's death).
 */
export function receiveLines(tmp: string, data: Buffer, guard?: Guard): string[] {
  const sum = createHash('sha1').update(data).digest('hex');
  return [
    ...guardLines(tmp, guard),
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
