import { link, lstat, mkdir, readlink, stat as fsStat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file } from '../../../engine/modules/file.js';
import { stat } from '../../../engine/modules/stat.js';
import { resolveMode } from '../../../engine/modules/remote-file/mode.js';
import { harness, tempDir, tripsOf, validArgs } from './context.js';

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());
const modeOf = async (p: string): Promise<number> => (await fsStat(p)).mode & 0o7777;

describe('file', () => {
  // expectations from `ansible localhost -c local -m file` (ansible-core 2.14.18)
  it('directory: creates with mode, then ok in ONE round trip; diff like ansible', async () => {
    const h = harness();
    const path = join(dir, 'dd');
    const r = await h.run(file, { path, state: 'directory', mode: '0750' }, { diff: true });
    expect(r).toMatchObject({ changed: true, path, state: 'directory', mode: '0750', size: 4096, uid: 0, owner: 'root' });
    // ansible-core 2.14: before {mode: '0755', path, state: 'absent'}
    expect(r.diff).toEqual({ before: '{\n    "mode": "0755",\n    "path": "' + path + '",\n    "state": "absent"\n}\n', after: '{\n    "mode": "0750",\n    "path": "' + path + '",\n    "state": "directory"\n}\n' });
    const again = await tripsOf(h, file, { path, state: 'directory', mode: '0750' });
    expect(again.result).toEqual({ changed: false, path, state: 'directory', mode: '0750', size: 4096, uid: 0, gid: 0, owner: 'root', group: 'root' });
    expect(again.trips).toBe(1);
  });

  it('a missing directory is made in the probe\'s own round trip; check mode makes nothing; a file in the way fails', async () => {
    const h = harness();
    const path = join(dir, 'one-trip', 'deep');
    const c = await tripsOf(h, file, { path, state: 'directory', mode: '0700' });
    expect(c.result).toMatchObject({ changed: true, path, state: 'directory', mode: '0700' });
    expect(c.trips).toBe(1);
    expect(await modeOf(path)).toBe(0o700);
    const checked = join(dir, 'one-trip', 'not-in-check');
    expect(await harness().run(file, { path: checked, state: 'directory' }, { check: true })).toEqual({ changed: true, path: checked });
    await expect(fsStat(checked)).rejects.toThrow(/ENOENT/);
    const owned = await tripsOf(h, file, { path: join(dir, 'one-trip', 'owned'), state: 'directory', owner: 'root', group: '0', mode: '2750' });
    expect(owned.result).toMatchObject({ changed: true, owner: 'root', gid: 0, mode: '2750' });
    expect(owned.trips).toBe(1);
    const bad = await h.run(file, { path: join(dir, 'one-trip', 'nobody-owns'), state: 'directory', owner: 'no-such-user-tsplay' });
    expect(bad).toMatchObject({ changed: false, failed: true });
    expect(String(bad.msg)).toContain('no-such-user-tsplay');
  });

  it('symbolic mode u=rwx,g=rx,o=rx changes 0750 to 0755; check mode leaves it', async () => {
    const path = join(dir, 'dd');
    const c = await harness().run(file, { path, state: 'directory', mode: 'u=rwx,g=rx,o=rx' }, { check: true });
    expect(c.changed).toBe(true);
    expect(await modeOf(path)).toBe(0o750);
    expect(await harness().run(file, { path, state: 'directory', mode: 'u=rwx,g=rx,o=rx' })).toMatchObject({ changed: true, mode: '0755' });
  });

  it('touch is changed every time (dest key), preserve/preserve on an existing file is not', async () => {
    const h = harness();
    const path = join(dir, 'f');
    expect(await h.run(file, { path, state: 'touch' })).toMatchObject({ changed: true, dest: path, state: 'file', mode: '0644', size: 0 });
    expect(await h.run(file, { path, state: 'touch' })).toMatchObject({ changed: true });
    await utimes(path, 1000, 2000);
    expect(await h.run(file, { path, state: 'touch', modification_time: 'preserve', access_time: 'preserve' })).toMatchObject({ changed: false, dest: path });
    expect((await fsStat(path)).mtimeMs).toBe(2000_000);
    await h.run(file, { path, state: 'touch', modification_time: '202001021304.05', access_time: 'preserve' });
    expect((await fsStat(path)).mtime.getFullYear()).toBe(2020);
  });

  it('state=file on a missing path fails like ansible', async () => {
    const path = join(dir, 'nofile');
    expect(await harness().run(file, { path, state: 'file' })).toEqual({ changed: false, failed: true, msg: `file (${path}) is absent, cannot continue`, path, state: 'absent' });
  });

  it('link and hard: created, then ok; absent removes, then ok', async () => {
    const h = harness();
    const src = join(dir, 'f');
    const l = join(dir, 'l');
    expect(await h.run(file, { path: l, state: 'link', src })).toMatchObject({ changed: true, dest: l, src, state: 'link', mode: '0777', size: src.length });
    expect(await readlink(l)).toBe(src);
    const again = await tripsOf(h, file, { path: l, state: 'link', src });
    expect(again.result).toMatchObject({ changed: false, dest: l, state: 'link' });
    expect(again.trips).toBe(1);
    const hl = join(dir, 'h');
    expect(await h.run(file, { dest: hl, state: 'hard', src })).toMatchObject({ changed: true, dest: hl, src, state: 'hard' });
    expect((await fsStat(hl)).ino).toBe((await fsStat(src)).ino);
    expect(await h.run(file, { dest: hl, state: 'hard', src })).toMatchObject({ changed: false });
    expect(await h.run(file, { name: l, state: 'absent' })).toEqual({ changed: true, path: l, state: 'absent' });
    await expect(lstat(l)).rejects.toThrow();
    expect(await h.run(file, { name: l, state: 'absent' })).toEqual({ changed: false, path: l, state: 'absent' });
  });

  it('refuses to turn a file into a symlink without force', async () => {
    const p = join(dir, 'plain');
    await writeFile(p, 'x');
    expect(await harness().run(file, { path: p, state: 'link', src: '/etc/passwd' })).toMatchObject({ failed: true });
    expect(await harness().run(file, { path: p, state: 'link', src: '/etc/passwd', force: true })).toMatchObject({ changed: true });
  });

  it('recurse applies mode below the directory, then is ok', async () => {
    const h = harness();
    const d = join(dir, 'rec');
    await mkdir(join(d, 'sub'), { recursive: true });
    await writeFile(join(d, 'sub', 'x'), 'x', { mode: 0o600 });
    expect(await h.run(file, { path: d, state: 'directory', recurse: true, mode: '0755' })).toMatchObject({ changed: true });
    expect(await modeOf(join(d, 'sub', 'x'))).toBe(0o755);
    expect(await h.run(file, { path: d, state: 'directory', recurse: true, mode: '0755' })).toMatchObject({ changed: false });
  });

  it('schema: path aliases and states', () => {
    expect(validArgs(file, { path: '/x', state: 'touch' })).toBe(true);
    expect(validArgs(file, { dest: '/x' })).toBe(true);
    expect(validArgs(file, { state: 'directory' })).toBe(false);
    expect(validArgs(file, { path: '/x', state: 'present' })).toBe(false);
  });
});

describe('resolveMode', () => {
  it.each([
    ['0644', 0o600, false, 0o644], [420, 0, false, 0o644], ['u=rw,g=r,o=r', 0o777, false, 0o644],
    ['a+x', 0o644, false, 0o755], ['g-w', 0o775, false, 0o755], ['a+X', 0o644, true, 0o755], ['a+X', 0o644, false, 0o644],
    ['u+s', 0o755, false, 0o4755], ['o=', 0o757, false, 0o750],
  ])('%s on %o (dir=%s) -> %o', (m, cur, isDir, want) => expect(resolveMode(m, cur, isDir)).toBe(want));
});

describe('stat', () => {
  it('reports ansible keys with sha1 checksum in ONE round trip', async () => {
    const h = harness();
    const p = join(dir, 's');
    await writeFile(p, 'hello\n', { mode: 0o644 });
    const { result, trips } = await tripsOf(h, stat, { path: p });
    expect(trips).toBe(1);
    expect(result.changed).toBe(false);
    expect(result.stat).toMatchObject({ exists: true, path: p, mode: '0644', isreg: true, isdir: false, islnk: false, uid: 0, gid: 0, pw_name: 'root', gr_name: 'root', size: 6, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f', readable: true, writeable: true, executable: false, rusr: true, wusr: true, xusr: false, roth: true, woth: false, nlink: 1 });
  });

  it('links: lnk_source/lnk_target, follow=yes stats the target', async () => {
    const h = harness();
    const p = join(dir, 's');
    const l = join(dir, 'sl');
    await symlink(p, l);
    expect((await h.run(stat, { path: l })).stat).toMatchObject({ islnk: true, isreg: false, mode: '0777', lnk_source: p, lnk_target: p });
    expect((await h.run(stat, { path: l, follow: true, get_checksum: false })).stat).toMatchObject({ islnk: false, isreg: true, size: 6 });
    expect((await h.run(stat, { path: l, follow: true, get_checksum: false })).stat).not.toHaveProperty('checksum');
  });

  it('missing path and sha256, directory', async () => {
    const h = harness();
    expect(await h.run(stat, { path: join(dir, 'nope') })).toEqual({ changed: false, stat: { exists: false } });
    expect((await h.run(stat, { path: join(dir, 's'), checksum_algorithm: 'sha256' })).stat).toMatchObject({ checksum: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03' });
    expect((await h.run(stat, { path: dir })).stat).toMatchObject({ isdir: true, executable: true });
    expect(validArgs(stat, { path: '/x', checksum_algorithm: 'crc' })).toBe(false);
  });
});
