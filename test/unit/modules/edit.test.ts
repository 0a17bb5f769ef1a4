import { lstat, readFile, rm, stat as fsStat, symlink, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockinfile } from '../../../engine/modules/blockinfile.js';
import { lineinfile } from '../../../engine/modules/lineinfile.js';
import { replace } from '../../../engine/modules/replace.js';
import { harness, tempDir, tripsOf, validArgs } from './context.js';

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());
const read = (p: string): Promise<string> => readFile(p, 'utf8');

describe('lineinfile', () => {
  // sequence and messages from ansible-core 2.14.18 runs on the same file
  it('replace, re-run ok in ONE round trip, diff with (content) headers', async () => {
    const h = harness();
    const p = join(dir, 'l');
    await writeFile(p, 'a=1\nb=2\n');
    const r = await h.run(lineinfile, { path: p, regexp: '^a=', line: 'a=5' }, { diff: true });
    expect(r).toMatchObject({ changed: true, msg: 'line replaced', backup: '' });
    expect(r.diff).toEqual([
      { before: 'a=1\nb=2\n', after: 'a=5\nb=2\n', beforeHeader: `${p} (content)`, afterHeader: `${p} (content)` },
      { before: '', after: '', beforeHeader: `${p} (file attributes)`, afterHeader: `${p} (file attributes)` },
    ]);
    const again = await tripsOf(h, lineinfile, { path: p, regexp: '^a=', line: 'a=5' });
    expect(again.result).toEqual({ changed: false, msg: '', backup: '' });
    expect(again.trips).toBe(1);
  });

  it('follows the ansible sequence: add, absent, BOF, backrefs, search_string', async () => {
    const h = harness();
    const p = join(dir, 'l');
    expect(await h.run(lineinfile, { path: p, line: 'c=3' })).toMatchObject({ changed: true, msg: 'line added' });
    expect(await h.run(lineinfile, { path: p, regexp: '^c', state: 'absent' })).toMatchObject({ changed: true, found: 1, msg: '1 line(s) removed' });
    expect(await h.run(lineinfile, { path: p, line: 'z', insertbefore: 'BOF' })).toMatchObject({ changed: true, msg: 'line added' });
    expect(await h.run(lineinfile, { path: p, regexp: '^a=(.*)', line: 'A=\\1', backrefs: true })).toMatchObject({ changed: true, msg: 'line replaced' });
    expect(await h.run(lineinfile, { path: p, regexp: '^nomatch(.*)', line: 'A=\\1', backrefs: true })).toMatchObject({ changed: false, msg: '' });
    const b = await h.run(lineinfile, { path: p, search_string: 'b=2', line: 'b=3', backup: true });
    expect(b).toMatchObject({ changed: true, msg: 'line replaced' });
    expect(await read(b.backup as string)).toBe('z\nA=5\nb=2\n');
    expect(await read(p)).toBe('z\nA=5\nb=3\n');
  });

  it('check mode reports and leaves the file; insertafter regex', async () => {
    const h = harness();
    const p = join(dir, 'l');
    expect(await h.run(lineinfile, { path: p, line: 'x' }, { check: true })).toMatchObject({ changed: true, msg: 'line added' });
    expect(await read(p)).toBe('z\nA=5\nb=3\n');
    await h.run(lineinfile, { path: p, line: 'after-z', insertafter: '^z' });
    expect(await read(p)).toBe('z\nafter-z\nA=5\nb=3\n');
  });

  it('missing file fails with rc 257; create=yes makes it with mode', async () => {
    const h = harness();
    const p = join(dir, 'nol');
    expect(await h.run(lineinfile, { path: p, line: 'z' })).toEqual({ changed: false, failed: true, rc: 257, msg: `Destination ${p} does not exist !`, backup: '' });
    expect(await h.run(lineinfile, { path: p, line: 'z', create: 'yes', mode: '0600' })).toMatchObject({ changed: true, msg: 'line added and ownership, perms or SE linux context changed' });
    expect(await read(p)).toBe('z\n');
    expect((await fsStat(p)).mode & 0o777).toBe(0o600);
    expect(await h.run(lineinfile, { path: p, line: 'z', create: 'yes', mode: '0600' })).toMatchObject({ changed: false });
  });

  it('through a symlink: the target is written and the link stays (like ansible-core 2.14.18)', async () => {
    const h = harness();
    const real = join(dir, 'real.conf');
    const link = join(dir, 'link.conf');
    await writeFile(real, 'a=1\n');
    await symlink('real.conf', link);
    expect(await h.run(lineinfile, { path: link, line: 'b=2' })).toMatchObject({ changed: true, msg: 'line added' });
    expect(await h.run(blockinfile, { path: link, block: 'x' })).toMatchObject({ changed: true, msg: 'Block inserted' });
    expect(await h.run(replace, { path: link, regexp: 'a=1', replace: 'a=9' })).toMatchObject({ changed: true });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await read(real)).toBe('a=9\nb=2\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n');
    expect(await h.run(lineinfile, { path: link, line: 'b=2' })).toMatchObject({ changed: false });
    // like ansible's backup_local(path): the copy of the target is named after the link
    const bk = await h.run(lineinfile, { path: link, line: 'c=3', backup: true });
    expect(String(bk.backup)).toMatch(new RegExp(`^${link.replace(/[.]/g, '\\.')}\\.\\d+\\.`));
    expect((await lstat(bk.backup as string)).isFile()).toBe(true);
    expect(await read(bk.backup as string)).toBe('a=9\nb=2\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END ANSIBLE MANAGED BLOCK\n');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    await rm(bk.backup as string);
    // a link to nothing is a missing file (os.path.exists follows it); create makes its target,
    // but not the target's folder (ansible fails there too: "Could not replace file")
    const dangling = join(dir, 'dangling.conf');
    await symlink('nowhere.conf', dangling);
    expect(await h.run(lineinfile, { path: dangling, line: 'z' })).toMatchObject({ failed: true, rc: 257 });
    expect(await h.run(lineinfile, { path: dangling, line: 'z', create: true })).toMatchObject({ changed: true, msg: 'line added' });
    expect(await read(join(dir, 'nowhere.conf'))).toBe('z\n');
    expect((await lstat(dangling)).isSymbolicLink()).toBe(true);
    await symlink('sub/nowhere.conf', join(dir, 'deeper.conf'));
    const deeper = await h.run(lineinfile, { path: join(dir, 'deeper.conf'), line: 'z', create: true });
    expect(deeper).toMatchObject({ changed: false, failed: true });
    expect(String(deeper.msg)).toMatch(/^failed to write .*sub\/nowhere\.conf: .*(Directory nonexistent|No such file)/);
    expect(readdirSync(dir).filter((f) => f.includes('.tsplay-'))).toEqual([]);
  });

  it('schema', () => {
    expect(validArgs(lineinfile, { dest: '/x', line: 'a', state: 'present' })).toBe(true);
    expect(validArgs(lineinfile, { line: 'a' })).toBe(false);
    expect(validArgs(lineinfile, { path: '/x', line: 'a', state: 'gone' })).toBe(false);
  });
});

describe('blockinfile', () => {
  it('inserts, is idempotent in one round trip, moves with BOF, removes', async () => {
    const h = harness();
    const p = join(dir, 'b');
    await writeFile(p, 'a=1\nb=2\n');
    const r = await h.run(blockinfile, { path: p, block: 'x\ny' }, { diff: true });
    expect(r).toMatchObject({ changed: true, msg: 'Block inserted' });
    expect((r.diff as { after: string }[])[0]!.after).toBe('a=1\nb=2\n# BEGIN ANSIBLE MANAGED BLOCK\nx\ny\n# END ANSIBLE MANAGED BLOCK\n');
    const again = await tripsOf(h, blockinfile, { path: p, block: 'x\ny' });
    expect(again.result).toEqual({ changed: false, msg: '' });
    expect(again.trips).toBe(1);
    expect(await h.run(blockinfile, { path: p, block: 'x\nz', insertbefore: 'BOF' })).toMatchObject({ changed: true, msg: 'Block inserted' });
    expect(await h.run(blockinfile, { path: p, state: 'absent' })).toMatchObject({ changed: true, msg: 'Block removed' });
    expect(await h.run(blockinfile, { path: p, state: 'absent' })).toMatchObject({ changed: false, msg: '' });
    expect(await h.run(blockinfile, { path: p, block: 'q', insertafter: '^a=', marker: '## {mark} M' })).toMatchObject({ changed: true });
    expect(await read(p)).toBe('a=1\n## BEGIN M\nq\n## END M\nb=2\n');
  });

  it('missing file: fails, or "File created" with create; check mode writes nothing', async () => {
    const h = harness();
    const p = join(dir, 'nob');
    expect(await h.run(blockinfile, { path: p, block: 'q' })).toEqual({ changed: false, failed: true, rc: 257, msg: `Path ${p} does not exist !` });
    expect(await h.run(blockinfile, { path: p, block: 'q', create: true }, { check: true })).toMatchObject({ changed: true, msg: 'File created' });
    await expect(read(p)).rejects.toThrow();
    expect(await h.run(blockinfile, { path: p, block: 'q', create: true })).toMatchObject({ changed: true, msg: 'File created' });
    expect(validArgs(blockinfile, { path: p, block: 'q', marker_begin: 'B' })).toBe(true);
    expect(validArgs(blockinfile, { path: p, blok: 'q' })).toBe(false);
  });
});

describe('replace', () => {
  it('Python syntax (?P<x>) and \\g<x>, diff with plain path headers, then ok', async () => {
    const h = harness();
    const p = join(dir, 'r');
    await writeFile(p, 'foo bar foo\nbaz\n');
    const r = await h.run(replace, { path: p, regexp: 'f(?P<x>o)o', replace: 'F\\g<x>\\1' }, { diff: true });
    expect(r).toEqual({ changed: true, msg: '2 replacements made', rc: 0, diff: { before: 'foo bar foo\nbaz\n', after: 'Foo bar Foo\nbaz\n', beforeHeader: p, afterHeader: p } });
    const again = await tripsOf(h, replace, { path: p, regexp: 'f(?P<x>o)o', replace: 'F\\g<x>\\1' });
    expect(again.result).toEqual({ changed: false, msg: '', rc: 0 });
    expect(again.trips).toBe(1);
  });

  it('after limits the section (MULTILINE ^$); check mode leaves the file', async () => {
    const h = harness();
    const p = join(dir, 'r');
    expect(await h.run(replace, { path: p, regexp: '^baz$', replace: 'B', after: 'Fo' }, { check: true })).toMatchObject({ changed: true, msg: '1 replacements made' });
    expect(await read(p)).toBe('Foo bar Foo\nbaz\n');
    expect(await h.run(replace, { path: p, regexp: '^baz$', replace: 'B', after: 'Fo' })).toMatchObject({ changed: true, msg: '1 replacements made' });
    expect(await read(p)).toBe('Foo bar Foo\nB\n');
    expect(validArgs(replace, { path: p })).toBe(false);
  });
});
