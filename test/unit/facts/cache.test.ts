import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonFileFactCache } from '../../../engine/facts/cache.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsplay-factcache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('jsonfile fact cache', () => {
  it('keeps facts private: files 0600 in a 0700 directory, whatever the umask', async () => {
    const old = process.umask(0);
    try {
      const cache = new JsonFileFactCache({ dir: join(dir, 'facts'), timeoutSec: 0 });
      await cache.save('node1', { env: { TOKEN: 'x' } });
      expect((await stat(join(dir, 'facts', 'node1'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'facts'))).mode & 0o777).toBe(0o700);
      expect(await readdir(join(dir, 'facts'))).toEqual(['node1']);
    } finally {
      process.umask(old);
    }
  });

  it('stores one file per host with ansible_-prefixed keys, sorted, 4-space indent', async () => {
    const cache = new JsonFileFactCache({ dir, timeoutSec: 0 });
    await cache.save('node1', { hostname: 'node1', distribution: 'Debian', gather_subset: ['all'], module_setup: true });
    expect(await readFile(join(dir, 'node1'), 'utf8')).toBe(
      '{\n    "ansible_distribution": "Debian",\n    "ansible_hostname": "node1",\n    "gather_subset": [\n        "all"\n    ],\n    "module_setup": true\n}',
    );
    expect(await cache.load('node1')).toEqual({ hostname: 'node1', distribution: 'Debian', gather_subset: ['all'], module_setup: true });
  });

  it('treats an entry older than the timeout as a miss; 0 never expires', async () => {
    const now = Date.now();
    const short = new JsonFileFactCache({ dir, timeoutSec: 60, now: () => now });
    await short.save('node2', { hostname: 'node2' });
    const old = new Date(now - 120_000);
    await utimes(join(dir, 'node2'), old, old);
    expect(await short.load('node2')).toBeUndefined();
    expect(await new JsonFileFactCache({ dir, timeoutSec: 0 }).load('node2')).toEqual({ hostname: 'node2' });
  });

  it('misses quietly on absent or corrupt entries, honours the prefix', async () => {
    const cache = new JsonFileFactCache({ dir, timeoutSec: 0, prefix: 'lab_' });
    expect(await cache.load('ghost')).toBeUndefined();
    await writeFile(join(dir, 'lab_bad'), '{not json');
    expect(await cache.load('bad')).toBeUndefined();
    await cache.save('n3', { fqdn: 'n3.lab' });
    expect(JSON.parse(await readFile(join(dir, 'lab_n3'), 'utf8'))).toEqual({ ansible_fqdn: 'n3.lab' });
  });

  it('rejects host names that would escape the directory', async () => {
    await expect(new JsonFileFactCache({ dir, timeoutSec: 0 }).save('../x', {})).rejects.toThrow(/invalid host name/);
  });
});
