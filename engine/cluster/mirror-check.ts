import { createHash } from 'node:crypto';
import { cacheKey, openHashCache, type HashCache } from './hash-cache.js';
import type { Problem } from './problems.js';
import { problem } from './problems.js';

export interface PinnedFile {
  readonly name: string;
  readonly url: string;
  readonly checksum: string;
}

/** Kubespray's checksum table of each downloads entry (what the user edits to fix a mismatch). */
const TABLES: Record<string, string> = {
  etcd: 'etcd_binary_checksums', containerd: 'containerd_archive_checksums', runc: 'runc_checksums',
  cni: 'cni_binary_checksums', crictl: 'crictl_checksums', kubectl: 'kubectl_checksums',
};

const TIMEOUT_MS = 60_000;

async function sha256Of(url: string, cache: HashCache | undefined): Promise<{ sha256: string } | { error: string }> {
  try {
    if (cache) {
      const head = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!head.ok) return { error: `HTTP ${head.status}` };
      const key = cacheKey(url, head.headers);
      const known = key === undefined ? undefined : cache.get(key);
      if (known !== undefined) return { sha256: known };
      const r = await sha256Of(url, undefined);
      if (key !== undefined && 'sha256' in r) cache.set(key, r.sha256);
      return r;
    }
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok || !res.body) return { error: `HTTP ${res.status}` };
    const h = createHash('sha256');
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) h.update(chunk);
    return { sha256: h.digest('hex') };
  } catch (e) {
    return { error: (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message };
  }
}

/**
 * Hashes every pinned file on the mirror from the controller (all at once), before any host
 * changes: a mirror that serves something else than the inventory pins stops the run here.
 */
export async function mirrorProblems(files: readonly PinnedFile[], cacheFile?: string): Promise<Problem[]> {
  const cache = cacheFile === undefined ? undefined : await openHashCache(cacheFile);
  const results = await Promise.all(files.map(async (f) => ({ f, r: await sha256Of(f.url, cache) })));
  await cache?.save();
  const out: Problem[] = [];
  for (const { f, r } of results) {
    const table = TABLES[f.name] ?? `${f.name} checksum`;
    const pinned = f.checksum.replace(/^sha256:/, '').toLowerCase();
    if ('error' in r) out.push(problem(`${f.name}_download_url`, `${f.url} cannot be fetched (${r.error})`, 'put the file on the mirror at that path (`tsplay offline list` prints them all)'));
    else if (r.sha256 !== pinned) out.push(problem(table, `the mirror's ${f.url} has sha256 ${r.sha256}, the inventory pins ${pinned}`, 'replace the file on the mirror, or pin the checksum of the file you trust'));
  }
  return out;
}
