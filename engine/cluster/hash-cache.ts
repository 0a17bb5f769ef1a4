import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * sha256 of mirror files already hashed by this controller, keyed by URL and the server's
 * validators (ETag, Last-Modified, Content-Length): a converged run asks the mirror with
 * HEAD instead of downloading every archive again. Nodes still verify what they download.
 */
export interface HashCache {
  get(key: string): string | undefined;
  set(key: string, sha256: string): void;
  save(): Promise<void>;
}

export function defaultCacheFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tsplay', 'mirror-sha256.json');
}

export async function openHashCache(file: string): Promise<HashCache> {
  const text = await readFile(file, 'utf8').catch(() => '{}');
  let entries: Record<string, string>;
  try {
    entries = JSON.parse(text) as Record<string, string>;
  } catch {
    entries = {}; // a damaged cache is only a slower run
  }
  let dirty = false;
  return {
    get: (k) => entries[k],
    set: (k, v) => { entries[k] = v; dirty = true; },
    async save() {
      if (!dirty) return;
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(entries) + '\n', { mode: 0o600 });
      await rename(tmp, file);
    },
  };
}

/** The cache key of a response: nothing cacheable without a validator. */
export function cacheKey(url: string, headers: Headers): string | undefined {
  const etag = headers.get('etag');
  const modified = headers.get('last-modified');
  if (!etag && !modified) return undefined;
  return [url, etag ?? '', modified ?? '', headers.get('content-length') ?? ''].join('|');
}
