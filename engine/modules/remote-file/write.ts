import { randomBytes } from 'node:crypto';
import type { HostAccess } from '../../types/module.js';
import { quote, sh } from '../../transport/shell.js';
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
 * Writes dest atomically: the bytes land in a temp file in dest's own directory, which gets
 * mode/owner and passes validation before `mv -f` replaces dest, so readers never see a half
 * file. Without become the bytes go by putFile (SFTP) and one exec finishes the job; with
 * become the login user may not write there, so the same exec receives them on stdin
 * (`cat >`) and runs entirely as the become user. Either way the closing stat rides along.
 */
export async function atomicWrite(host: HostAccess, spec: WriteSpec): Promise<WriteOutcome> {
  const tmp = `${dirname(spec.dest)}/.${basename(spec.dest)}.tsplay-${randomBytes(6).toString('hex')}`;
  const viaStdin = host.become !== undefined;
  if (!viaStdin) await host.connection.putFile(tmp, spec.data);
  const backupFile = spec.backup === true && spec.existing !== undefined ? backupName(spec.dest) : undefined;
  // The trap's command is itself one quoted word: a dest with blanks or quotes must survive.
  const lines = ['set -e', `trap ${quote(`rm -f -- ${quote(tmp)}`)} EXIT`];
  if (viaStdin) lines.push(sh`umask 022; cat > ${tmp}`);
  lines.push(...keepAttrs(tmp, spec.existing), ...attrCommands(tmp, spec.changes));
  if (spec.validate !== undefined) {
    lines.push(`if ! ${spec.validate.split('%s').join(quote(tmp))}; then exit ${VALIDATE_RC}; fi`);
  }
  if (backupFile !== undefined) lines.push(sh`cp -p -- ${spec.dest} ${backupFile}`);
  lines.push(sh`mv -f -- ${tmp} ${spec.dest}`, probeScript([{ path: spec.dest }]));
  const res = await host.exec(lines.join('\n'), { stdin: viaStdin ? spec.data : undefined });
  if (res.rc !== 0) {
    const msg = res.rc === VALIDATE_RC ? `failed to validate` : `failed to write ${spec.dest}: ${res.stderr.trim()}`;
    return { ok: false, msg, rc: res.rc, stdout: res.stdout, stderr: res.stderr };
  }
  const [after] = parseProbe([{ path: spec.dest }], res.stdout);
  if (after === undefined || !after.exists) throw new Error(`${spec.dest} missing after write`);
  return { ok: true, after, backupFile };
}

/** Like ansible's atomic_move: the replacement keeps the old file's mode and ownership. */
function keepAttrs(tmp: string, existing: RemoteStat | undefined): string[] {
  if (existing === undefined || existing.type !== 'file') return [];
  const q = quote(tmp);
  // chown may be refused to a non-root login user; the file then keeps the writer's ids
  return [`chown ${existing.uid}:${existing.gid} -- ${q} 2>/dev/null || true`, `chmod ${formatMode(existing.mode)} -- ${q}`];
}
