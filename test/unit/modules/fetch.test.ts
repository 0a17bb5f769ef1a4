import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch } from '../../../engine/modules/fetch.js';
import { find } from '../../../engine/modules/find.js';
import { slurp } from '../../../engine/modules/slurp.js';
import { harness, tempDir, tripsOf, validArgs } from './context.js';

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  await writeFile(join(dir, 's'), 'hello\n');
  await mkdir(join(dir, 'fd/sub'), { recursive: true });
  await writeFile(join(dir, 'fd/a.conf'), 'abc\n');
  await writeFile(join(dir, 'fd/sub/b.conf'), 'xyz\n');
  await writeFile(join(dir, 'fd/.hid.conf'), 'h\n');
});
afterAll(() => cleanup());

describe('slurp', () => {
  it('returns base64 content in one round trip; missing file fails like ansible', async () => {
    const h = harness();
    const p = join(dir, 's');
    const { result, trips } = await tripsOf(h, slurp, { src: p });
    expect(result).toEqual({ changed: false, content: 'aGVsbG8K', encoding: 'base64', source: p });
    expect(trips).toBe(1);
    expect(await h.run(slurp, { path: join(dir, 'nope') })).toEqual({ changed: false, failed: true, msg: `file not found: ${join(dir, 'nope')}` });
    expect(validArgs(slurp, { src: p, encoding: 'x' })).toBe(false);
  });
});

describe('fetch', () => {
  it('lays out DEST/<host>/<path>, then ok; flat; fail_on_missing', async () => {
    const h = harness();
    const src = join(dir, 's');
    const dest = join(dir, 'fetched');
    const want = join(dest, 'localhost', src);
    expect(await h.run(fetch, { src, dest })).toEqual({ changed: true, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f', dest: want, md5sum: 'b1946ac92492d2347c6235b4d2611184', remote_checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f', remote_md5sum: null });
    expect(await readFile(want, 'utf8')).toBe('hello\n');
    const again = await tripsOf(h, fetch, { src, dest });
    expect(again.result).toEqual({ changed: false, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f', dest: want, file: src, md5sum: 'b1946ac92492d2347c6235b4d2611184' });
    expect(again.trips).toBe(1);
    expect(await h.run(fetch, { src, dest: join(dir, 'flat/'), flat: true })).toMatchObject({ changed: true, dest: join(dir, 'flat/s') });
    expect(await h.run(fetch, { src: join(dir, 'nope'), dest })).toEqual({ changed: false, failed: true, msg: 'the remote file does not exist, not transferring, ignored' });
    expect(await h.run(fetch, { src: join(dir, 'nope'), dest, fail_on_missing: false })).toEqual({ changed: false, file: join(dir, 'nope'), msg: 'the remote file does not exist, not transferring, ignored' });
  });

  it('check mode is skipped like ansible 2.14 and writes nothing on the controller', async () => {
    const r = await harness().run(fetch, { src: join(dir, 's'), dest: join(dir, 'fetch-check') }, { check: true });
    expect(r).toEqual({ changed: false, skipped: true, msg: 'check mode not (yet) supported for this module' });
    await expect(readFile(join(dir, 'fetch-check/localhost', dir, 's'))).rejects.toThrow();
  });
});

describe('find', () => {
  // counts from ansible-core 2.14.18 on the same tree: examined 3 / 4, matched 1
  it('patterns, non-recursive, hidden off', async () => {
    const { result, trips } = await tripsOf(harness(), find, { paths: join(dir, 'fd'), patterns: '*.conf' });
    expect(result).toMatchObject({ changed: false, examined: 3, matched: 1, msg: 'All paths examined', skipped_paths: {} });
    expect((result.files as Record<string, unknown>[])[0]).toMatchObject({ path: join(dir, 'fd/a.conf'), isreg: true, mode: '0644', size: 4, pw_name: 'root', gr_name: 'root', nlink: 1 });
    expect(Object.keys((result.files as Record<string, unknown>[])[0]!).sort()).toEqual(['atime', 'ctime', 'dev', 'gid', 'gr_name', 'inode', 'isblk', 'ischr', 'isdir', 'isfifo', 'isgid', 'islnk', 'isreg', 'issock', 'isuid', 'mode', 'mtime', 'nlink', 'path', 'pw_name', 'rgrp', 'roth', 'rusr', 'size', 'uid', 'wgrp', 'woth', 'wusr', 'xgrp', 'xoth', 'xusr']);
    expect(trips).toBe(1);
  });

  it.each([
    ['recurse + hidden + contains', { patterns: '*.conf', recurse: true, hidden: true, contains: 'xyz' }, 4, ['fd/sub/b.conf']],
    ['directories', { file_type: 'directory' }, 3, ['fd/sub']],
    ['regex patterns', { patterns: ['^a\\.'], use_regex: true }, 3, ['fd/a.conf']],
    ['excludes', { patterns: '*', excludes: 'a.*', recurse: true }, 4, ['fd/sub/b.conf']],
    ['size filter', { size: '10', recurse: true }, 4, []],
    ['age filter (younger than a day)', { age: '-1d', patterns: 'a.conf' }, 3, ['fd/a.conf']],
  ])('%s', async (_n, args, examined, paths) => {
    const r = await harness().run(find, { paths: [join(dir, 'fd')], ...args });
    expect(r.examined).toBe(examined);
    expect((r.files as { path: string }[]).map((f) => f.path).sort()).toEqual(paths.map((p) => join(dir, p)));
  });

  it('schema', () => {
    expect(validArgs(find, { paths: '/x', file_type: 'any' })).toBe(true);
    expect(validArgs(find, { paths: '/x', file_type: 'socket' })).toBe(false);
  });
});
