import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { ModuleDef } from '../types/module.js';
import { bool, BOOL, STR, str } from './remote-file/args.js';
import { basename, probe } from './remote-file/exec.js';

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

async function localChecksum(path: string): Promise<string | undefined> {
  try { return sha1(await readFile(path)); } catch { return undefined; }
}

async function localMode(path: string): Promise<number | undefined> {
  try { return (await stat(path)).mode & 0o7777; } catch { return undefined; }
}

/** DEST/<inventory_hostname>/<src path>, or DEST(/basename) with flat, like ansible. */
function localDest(dest: string, src: string, host: string, flat: boolean): string {
  if (flat) return dest.endsWith('/') ? join(dest, basename(src)) : dest;
  return normalize(join(dest, host, src));
}

/**
 * ansible.builtin.fetch: one exec brings stat, checksum and bytes (base64) back; the controller
 * file is written atomically (temp + rename) only when the checksum differs.
 */
export const fetch: ModuleDef = {
  name: 'fetch',
  schema: {
    type: 'object', additionalProperties: false, required: ['src', 'dest'],
    properties: { src: STR, dest: STR, flat: BOOL, fail_on_missing: BOOL, validate_checksum: BOOL, validate_md5: BOOL },
  },
  // like ansible 2.14: fetch is skipped in check mode, with its own message
  supportsCheck: false,
  checkSkipMsg: 'check mode not (yet) supported for this module',
  async run(ctx) {
    const a = ctx.args;
    const src = str(a.src)!;
    const dest = localDest(str(a.dest)!, src, ctx.host, bool(a.flat, false));
    const [st] = await probe(ctx, [{ path: src, checksum: 'sha1', content: true }]);
    if (!st!.exists) {
      const msg = 'the remote file does not exist, not transferring, ignored';
      return bool(a.fail_on_missing, true) ? { changed: false, failed: true, msg } : { changed: false, file: src, msg };
    }
    if (st!.type === 'directory') return { changed: false, failed: true, msg: 'remote file is a directory, fetch cannot work on directories', file: src };
    const data = st!.content ?? Buffer.alloc(0);
    const remote = st!.checksum;
    if ((await localChecksum(dest)) === remote) return { changed: false, checksum: remote, dest, file: src, md5sum: md5(data) };
    if (bool(a.validate_checksum, true) && sha1(data) !== remote) {
      return { changed: false, failed: true, msg: 'checksum mismatch', file: src, dest, checksum: sha1(data), remote_checksum: remote };
    }
    await ctx.change(`write ${dest} on the controller`, async () => {
      await mkdir(dirname(dest), { recursive: true });
      const tmp = `${dest}.tsplay-tmp-${process.pid}`;
      // Like ansible's sftp get: a new file takes the remote mode (plus u+w, less the umask),
      // a file being replaced keeps its own.
      const keep = await localMode(dest);
      await writeFile(tmp, data, { mode: keep ?? ((st!.mode & 0o777) | 0o200) });
      if (keep !== undefined) await chmod(tmp, keep);
      await rename(tmp, dest);
    });
    return { changed: true, checksum: sha1(data), dest, md5sum: md5(data), remote_checksum: remote, remote_md5sum: null };
  },
};
