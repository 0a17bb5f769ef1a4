import type { SFTPWrapper } from 'ssh2';
import { TsplayError } from '../errors/index.js';

/** Bytes per SFTP write request and how many may be in flight (what ssh2's fastPut uses). */
const CHUNK = 32 * 1024;
const IN_FLIGHT = 64;

function transferError(op: string, path: string, e: unknown): TsplayError {
  const msg = e instanceof Error ? e.message : String(e);
  return new TsplayError('transfer', `${op} ${path} failed: ${msg}`, { cause: e });
}

function call<T>(fn: (cb: (err: Error | null | undefined, v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
}

/**
 * Writes `data` to `path` as the login user, pipelining write requests so a large file does
 * not wait one round trip per chunk. The mode is set on the handle explicitly because
 * open()'s mode only applies to new files and goes through the server's umask.
 */
export async function sftpWrite(sftp: SFTPWrapper, path: string, data: Buffer, mode?: number): Promise<void> {
  let handle: Buffer;
  try {
    handle = await call<Buffer>((cb) => sftp.open(path, 'w', mode === undefined ? {} : { mode }, cb));
  } catch (e) {
    throw transferError('upload to', path, e);
  }
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < data.length) {
        const at = next;
        const len = Math.min(CHUNK, data.length - at);
        next += len;
        await call<void>((cb) => sftp.write(handle, data, at, len, at, (err) => cb(err, undefined)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, Math.ceil(data.length / CHUNK)) }, worker));
    if (mode !== undefined) await call<void>((cb) => sftp.fchmod(handle, mode, (err) => cb(err, undefined)));
  } catch (e) {
    throw transferError('upload to', path, e);
  } finally {
    await call<void>((cb) => sftp.close(handle, (err) => cb(err, undefined))).catch(() => undefined);
  }
}

export async function sftpRead(sftp: SFTPWrapper, path: string): Promise<Buffer> {
  try {
    return await call<Buffer>((cb) => sftp.readFile(path, cb));
  } catch (e) {
    throw transferError('download of', path, e);
  }
}
