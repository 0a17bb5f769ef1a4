import { createHash, randomBytes } from 'node:crypto';
import type { HostAccess } from '../../types/module.js';
import { sh, verbatim } from '../../transport/shell.js';
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
}

export type WriteOutcome =
  | { readonly ok: true; readonly after: RemoteStat; readonly backupFile?: string }
  | { readonly ok: false; readonly msg: string; readonly rc: number; readonly stdout: string; readonly stderr: string };

const VALIDATE_RC = 97;

/**
 * Writes dest atomically, in ONE exec whatever the become settings: the bytes arrive on stdin
 * into a temp file in dest's own directory, and dest is replaced (`mv -f`, a rename) only when
 * the host has checked that the whole payload arrived (size and sha1). Why the check: when the
 * controller dies or the connection drops, `cat` just sees end-of-input and succeeds, so
 * without it a truncated file would replace dest. The temp file is private (umask 077) until
 * it gets dest's final mode/owner, and the traps remove it on every way out: a failed step,
 * ENOSPC, the session's hangup, a broken pipe, a kill by the controller's cancel. The closing
 * stat rides along.
 */
export async function atomicWrite(host: HostAccess, spec: WriteSpec): Promise<WriteOutcome> {
  // like ansible's file modules: a validate command must name the temp file
  if (spec.validate !== undefined && !spec.validate.includes('%s')) return { ok: false, msg: `validate must contain %s: ${spec.validate}`, rc: 1, stdout: '', stderr: '' };
  const tmp = `${dirname(spec.dest)}/.${basename(spec.dest)}.tsplay-${randomBytes(6).toString('hex')}`;
  const backupFile = spec.backup === true && spec.existing !== undefined ? backupName(spec.dest) : undefined;
  const lines = [...receiveLines(tmp, spec.data), ...keepAttrs(tmp, spec.existing), ...newFileMode(tmp, spec), ...attrCommands(tmp, spec.changes)];
  if (spec.validate !== undefined) {
    // the user's validate command is shell text as written; only the temp file is put in, quoted
    lines.push(sh`if ! ${verbatim(spec.validate.split('%s').join(sh`${tmp}`))}; then exit ${VALIDATE_RC}; fi`);
  }
  if (backupFile !== undefined) lines.push(sh`cp -p -- ${spec.dest} ${backupFile}`);
  lines.push(sh`mv -f -- ${tmp} ${spec.dest}`, probeScript([{ path: spec.dest }]));
  const res = await host.exec(lines.join('\n'), { stdin: spec.data });
  if (res.rc !== 0) {
    const msg = res.rc === VALIDATE_RC ? `failed to validate` : `failed to write ${spec.dest}: ${res.stderr.trim()}`;
    return { ok: false, msg, rc: res.rc, stdout: res.stdout, stderr: res.stderr };
  }
  const [after] = parseProbe([{ path: spec.dest }], res.stdout);
  if (after === undefined || !after.exists) throw new Error(`${spec.dest} missing after write`);
  return { ok: true, after, backupFile };
}

/**
 * Shell lines that receive the payload into tmp and prove it complete. The trap's command is
 * itself one quoted word: a dest with blanks or quotes must survive. A trapped signal exits,
 * and exiting runs the EXIT trap (dash skips EXIT traps on an untrapped signal's death).
 */
export function receiveLines(tmp: string, data: Buffer): string[] {
  const sum = createHash('sha1').update(data).digest('hex');
  return [
    'set -e',
    sh`trap ${sh`rm -f -- ${tmp}`} EXIT`,
    "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM",
    'tsplay_umask=$(umask); umask 077',
    sh`cat > ${tmp}`,
    sh`tsplay_size=$(wc -c < ${tmp})`,
    `if [ "$tsplay_size" -ne ${data.length} ]; then echo "incomplete upload: received $tsplay_size of ${data.length} bytes" >&2; exit 1; fi`,
    sh`tsplay_sum=$(sha1sum < ${tmp}); if [ "\${tsplay_sum%% *}" != ${sum} ]; then echo 'corrupt upload: sha1 mismatch' >&2; exit 1; fi`,
  ];
}

/** Like ansible's atomic_move: the replacement keeps the old file's mode and ownership. */
function keepAttrs(tmp: string, existing: RemoteStat | undefined): string[] {
  if (existing === undefined || existing.type !== 'file') return [];
  // chown may be refused to a non-root login user; the file then keeps the writer's ids
  return [sh`chown ${existing.uid}:${existing.gid} -- ${tmp} 2>/dev/null || true`, sh`chmod ${formatMode(existing.mode)} -- ${tmp}`];
}

/** A new file without a `mode` gets what the session's umask gives (0644 under 022), like a plain create. */
function newFileMode(tmp: string, spec: WriteSpec): string[] {
  if ((spec.existing !== undefined && spec.existing.type === 'file') || spec.changes.mode !== undefined) return [];
  return [sh`chmod "$(printf '%o' $((0666 & ~0$tsplay_umask)))" -- ${tmp}`];
}
