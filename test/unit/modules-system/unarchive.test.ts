import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unarchive } from '../../../engine/modules/unarchive.js';
import { parseTarListing, parseZipListing } from '../../../engine/modules/system/archive.js';
import { harness, tempDir, tripsOf, validArgs } from '../modules/context.js';

describe('unarchive of archives made in a temp dir (LocalConnection)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    await mkdir(`${dir}/pkg-1.0/bin`, { recursive: true });
    await writeFile(`${dir}/pkg-1.0/bin/tool`, '#!/bin/sh\necho hi\n');
    await writeFile(`${dir}/pkg-1.0/README`, 'readme\n');
    execFileSync('tar', ['-czf', `${dir}/pkg.tar.gz`, '-C', dir, 'pkg-1.0']);
    execFileSync('zip', ['-qr', `${dir}/pkg.zip`, 'pkg-1.0'], { cwd: dir });
    await mkdir(`${dir}/out`);
  });
  afterEach(() => cleanup());

  it('extracts a controller tarball, then a second run is one round trip and ok', async () => {
    const h = harness();
    const args = { src: `${dir}/pkg.tar.gz`, dest: `${dir}/out`, list_files: true };
    const first = await h.run(unarchive, args);
    expect(first).toMatchObject({ changed: true, handler: 'TgzArchive', dest: `${dir}/out`, state: 'directory' });
    expect(first.files).toEqual(expect.arrayContaining(['pkg-1.0', 'pkg-1.0/bin/tool', 'pkg-1.0/README']));
    expect(await readFile(`${dir}/out/pkg-1.0/bin/tool`, 'utf8')).toBe('#!/bin/sh\necho hi\n');
    const again = await tripsOf(h, unarchive, args);
    expect([again.result.changed, again.trips]).toEqual([false, 1]);
    await writeFile(`${dir}/out/pkg-1.0/README`, 'changed by hand, longer\n');
    expect((await h.run(unarchive, args)).changed).toBe(true);
    expect(await readFile(`${dir}/out/pkg-1.0/README`, 'utf8')).toBe('readme\n');
  });

  it('--strip-components=1 puts the contents straight into dest; exclude leaves files out', async () => {
    const h = harness();
    const args = { src: `${dir}/pkg.tar.gz`, dest: `${dir}/out`, extra_opts: ['--strip-components=1'], exclude: ['README'] };
    expect((await h.run(unarchive, args)).changed).toBe(true);
    expect((await readdir(`${dir}/out`)).sort()).toEqual(['bin']);
    expect((await h.run(unarchive, args)).changed).toBe(false);
  });

  it('check mode is skipped like ansible 2.14 with GNU tar and extracts nothing; creates skips', async () => {
    const h = harness();
    expect(await h.run(unarchive, { src: `${dir}/pkg.tar.gz`, dest: `${dir}/out` }, { check: true })).toEqual({ changed: false, skipped: true, msg: 'remote module (unarchive) does not support check mode when using gtar' });
    expect(await readdir(`${dir}/out`)).toEqual([]);
    expect(await h.run(unarchive, { src: `${dir}/pkg.tar.gz`, dest: `${dir}/out`, creates: dir })).toMatchObject({ changed: false, skipped: true, msg: `skipped, since ${dir} exists` });
  });

  it('remote_src: tar and zip on the host, idempotent', async () => {
    const h = harness();
    for (const src of [`${dir}/pkg.tar.gz`, `${dir}/pkg.zip`]) {
      await mkdir(`${dir}/r-${src.slice(-3)}`);
      const args = { src, dest: `${dir}/r-${src.slice(-3)}`, remote_src: true };
      expect((await h.run(unarchive, args)).changed).toBe(true);
      expect(await readFile(`${dir}/r-${src.slice(-3)}/pkg-1.0/README`, 'utf8')).toBe('readme\n');
      const again = await tripsOf(h, unarchive, args);
      expect([again.result.changed, again.trips, again.result.handler]).toEqual([false, 1, src.endsWith('zip') ? 'ZipArchive' : 'TgzArchive']);
    }
  });

  it('a controller zip is uploaded and extracted with unzip; mode applied', async () => {
    const h = harness();
    const args = { src: `${dir}/pkg.zip`, dest: `${dir}/out`, mode: '0700' };
    expect((await h.run(unarchive, args)).changed).toBe(true);
    expect(execFileSync('stat', ['-c', '%a', `${dir}/out/pkg-1.0/README`]).toString().trim()).toBe('700');
  });

  it('fails on a missing dest and a missing remote src; rejects unknown args', async () => {
    const h = harness();
    expect(await h.run(unarchive, { src: `${dir}/pkg.tar.gz`, dest: `${dir}/nope` })).toMatchObject({ failed: true, msg: `dest '${dir}/nope' must be an existing dir` });
    expect(await h.run(unarchive, { src: `${dir}/none.tgz`, dest: `${dir}/out`, remote_src: true })).toMatchObject({ failed: true, msg: `Source '${dir}/none.tgz' does not exist` });
    expect(validArgs(unarchive, { src: 'a', dest: 'b', bogus: 1 })).toBe(false);
  });
});

describe('archive listings', () => {
  it('parses GNU tar verbose listings, stripping components', () => {
    const text = 'drwxr-xr-x 0/0               0 2026-11-24 09:05:00 ./a/\n-rw-r--r-- 0/0               6 2026-11-24 09:05:01 ./a/b c.txt\nlrwxrwxrwx 0/0               0 2026-11-24 09:05:02 ./a/l -> b c.txt\n';
    expect(parseTarListing(text, 1)).toEqual([
      { path: 'b c.txt', type: 'file', size: 6, mtime: Date.parse('2026-11-24T09:05:01Z') / 1000 },
      { path: 'l', type: 'link', size: 0, mtime: Date.parse('2026-11-24T09:05:02Z') / 1000 },
    ]);
  });
  it('parses unzip -l', () => {
    const text = 'Archive:  x.zip\n  Length      Date    Time    Name\n---------  ---------- -----   ----\n        0  2026-11-24 09:05   d/\n        6  2026-11-24 09:05   d/f\n---------                     -------\n        6                     2 files\n';
    expect(parseZipListing(text)).toEqual([{ path: 'd', type: 'directory', size: 0 }, { path: 'd/f', type: 'file', size: 6 }]);
  });
});
