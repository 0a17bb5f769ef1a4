import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, chmodSync, writeSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { VaultError } from '../errors/index.js';

/** Reads a file, or stdin for `-` (like ansible-vault's read_data). */
export function readInput(file: string): Buffer {
  try {
    return readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    throw new VaultError(`Unable to read source file (${file}): ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint: 'check the path' });
  }
}

/**
 * Writes the complete new content or nothing: a 0600 temp file beside the target, then rename.
 * `mode` keeps a file's previous permissions (rekey, edit); new files are 0600 like ansible-vault.
 */
export function writeOutput(file: string, data: Buffer | string, mode = 0o600): void {
  if (file === '-') {
    process.stdout.write(data);
    return;
  }
  const target = existsSync(file) ? realpathSync(file) : file;
  const tmp = join(dirname(target), `.${basename(target)}.tsplay-${randomBytes(6).toString('hex')}`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    closeSync(fd);
    chmodSync(tmp, mode);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new VaultError(`Unable to write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { cause: e });
  }
}

export function modeOf(file: string): number {
  return statSync(file).mode & 0o7777;
}

/**
 * Opens `plaintext` in $EDITOR (default vi) in a private 0700 temp folder, and returns what the
 * user saved. The temp file is overwritten with zeros and removed whatever happens.
 */
export function editInEditor(plaintext: Buffer, nameLike: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-vault-'));
  const tmp = join(dir, `edit${extname(nameLike)}`);
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    writeSync(fd, plaintext);
    closeSync(fd);
    // like git: $EDITOR may hold arguments ("code -w"); the shell splits it, the file is "$1"
    const editor = process.env.EDITOR ?? 'vi';
    const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'editor', tmp], { stdio: 'inherit' });
    if (r.error) throw new VaultError(`Unable to execute the editor "${editor}": ${r.error.message}`, { hint: 'set EDITOR to an editor that exists' });
    if (r.status !== 0) throw new VaultError(`the editor "${editor}" exited with status ${String(r.status)}; the vault was left unchanged`, { hint: 'set EDITOR to an editor that exists' });
    return readFileSync(tmp);
  } finally {
    shred(tmp);
    rmSync(dir, { recursive: true, force: true });
  }
}

function shred(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(size), 0, size, 0);
  } finally {
    closeSync(fd);
  }
}
