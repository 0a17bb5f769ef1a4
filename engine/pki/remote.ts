import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { quote } from '../transport/shell.js';
import type { BecomeSpec, Connection } from '../types/connection.js';
import type { ChmodFix, FileWrite, HostFiles } from './plan-types.js';

/** A directory to read PKI files from, and how deep (kubeconfigs live at depth 1, etcd/ at 2). */
export interface ReadRoot {
  readonly dir: string;
  readonly depth: number;
}

const PATTERNS = ['*.crt', '*.key', '*.pem', '*.pub', '*.conf'];

/**
 * Lists and reads every certificate, key and kubeconfig under the roots in ONE remote command.
 * Each file comes back as a header line (nonce, octal mode, path) and its content in base64 on
 * one line, so binary or oddly named files cannot break the framing.
 */
export async function readRemoteFiles(conn: Connection, roots: readonly ReadRoot[], become?: BecomeSpec): Promise<HostFiles> {
  const nonce = `TSPLAY-PKI-${randomBytes(6).toString('hex')}`;
  const names = PATTERNS.map((p) => `-name ${quote(p)}`).join(' -o ');
  const finds = roots.map((r) => `{ [ -d ${quote(r.dir)} ] && find ${quote(r.dir)} -maxdepth ${r.depth} -type f \\( ${names} \\); }`).join('; ');
  const command = `{ ${finds}; } 2>/dev/null | sort -u | while IFS= read -r f; do ` +
    `printf '%s %s %s\\n' ${nonce} "$(stat -c %a "$f")" "$f"; base64 -w0 < "$f"; echo; done`;
  const res = await conn.exec({ command, become });
  if (res.rc !== 0) throw new Error(`reading PKI files on ${conn.hostName} failed (rc=${res.rc}): ${res.stderr.trim()}`);
  return parseListing(res.stdout, nonce);
}

function parseListing(stdout: string, nonce: string): HostFiles {
  const files = new Map<string, { content: string; mode: number }>();
  const lines = stdout.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.startsWith(`${nonce} `)) continue;
    const m = /^\S+ ([0-7]+) (.*)$/.exec(line);
    if (!m) continue;
    const content = Buffer.from(lines[i + 1] ?? '', 'base64').toString('utf8');
    files.set(m[2] as string, { content, mode: parseInt(m[1] as string, 8) });
    i++;
  }
  return files;
}

/**
 * Writes files atomically: each goes to a temp name in its own directory (putFile, as the login
 * user), then ONE command renames them into place and fixes modes, so become applies and a
 * reader never sees half a key. Directories are created first (0755 like kubeadm).
 */
export async function writeRemoteFiles(conn: Connection, writes: readonly FileWrite[], chmods: readonly ChmodFix[], become?: BecomeSpec): Promise<void> {
  if (writes.length === 0 && chmods.length === 0) return;
  const dirs = [...new Set(writes.map((w) => posix.dirname(w.path)))];
  if (dirs.length > 0) await mustExec(conn, `mkdir -p ${dirs.map(quote).join(' ')}`, become);
  const suffix = `.tsplay-${randomBytes(4).toString('hex')}`;
  const temps = writes.map((w) => ({ w, tmp: posix.join(posix.dirname(w.path), `.${posix.basename(w.path)}${suffix}`) }));
  await Promise.all(temps.map(({ w, tmp }) => conn.putFile(tmp, Buffer.from(w.content), w.mode)));
  const moves = temps.map(({ w, tmp }) => `chmod ${w.mode.toString(8)} ${quote(tmp)} && mv -f ${quote(tmp)} ${quote(w.path)}`);
  const fixes = chmods.map((c) => `chmod ${c.mode.toString(8)} ${quote(c.path)}`);
  try {
    await mustExec(conn, ['set -e', ...moves, ...fixes].join('\n'), become);
  } catch (e) {
    await conn.exec({ command: `rm -f ${temps.map((t) => quote(t.tmp)).join(' ')}`, become }).catch(() => undefined);
    throw e;
  }
}

async function mustExec(conn: Connection, command: string, become?: BecomeSpec): Promise<void> {
  const res = await conn.exec({ command, become });
  if (res.rc !== 0) throw new Error(`command on ${conn.hostName} failed (rc=${res.rc}): ${res.stderr.trim()}`);
}
