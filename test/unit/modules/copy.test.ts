import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copy } from '../../../engine/modules/copy.js';
import { template } from '../../../engine/modules/template.js';
import { harness, tempDir, tripsOf, validArgs } from './context.js';

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const modeOf = async (p: string): Promise<number> => (await stat(p)).mode & 0o7777;

describe('copy content', () => {
  it('first run changes, second run is ok in ONE round trip', async () => {
    const h = harness();
    const dest = join(dir, 'c1');
    // ansible-core 2.14: checksum sha1("hello\n"), md5sum, mode '0640', state file
    const r1 = await h.run(copy, { content: 'hello\n', dest, mode: '0640' });
    expect(r1).toMatchObject({ changed: true, dest, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f', md5sum: 'b1946ac92492d2347c6235b4d2611184', mode: '0640', size: 6, state: 'file', uid: 0, gid: 0, owner: 'root', group: 'root' });
    expect(await readFile(dest, 'utf8')).toBe('hello\n');
    expect(await modeOf(dest)).toBe(0o640);
    const { result, trips } = await tripsOf(h, copy, { content: 'hello\n', dest, mode: '0640' });
    expect(result).toEqual({ changed: false, dest, path: dest, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f', mode: '0640', size: 6, state: 'file', uid: 0, gid: 0, owner: 'root', group: 'root' });
    expect(trips).toBe(1);
  });

  it('check + diff reports the change and leaves the file alone', async () => {
    const dest = join(dir, 'c2');
    await writeFile(dest, 'hello\n');
    const r = await harness().run(copy, { content: 'hello2\n', dest }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff).toEqual([{ before: 'hello\n', after: 'hello2\n', beforeHeader: dest, afterHeader: 'dynamically generated' }]);
    expect(await readFile(dest, 'utf8')).toBe('hello\n');
  });

  it('mode-only change is applied (symbolic mode) and keeps content', async () => {
    const dest = join(dir, 'c3');
    await writeFile(dest, 'x', { mode: 0o600 });
    const r = await harness().run(copy, { content: 'x', dest, mode: 'u=rw,g=r,o=r' });
    expect(r).toMatchObject({ changed: true, mode: '0644' });
    expect(await modeOf(dest)).toBe(0o644);
  });

  it('keeps an existing file mode when no mode is given', async () => {
    const dest = join(dir, 'c4');
    await writeFile(dest, 'old', { mode: 0o600 });
    expect(await harness().run(copy, { content: 'new', dest })).toMatchObject({ changed: true, mode: '0600' });
  });

  it('backup returns backup_file holding the old bytes', async () => {
    const dest = join(dir, 'c5');
    await writeFile(dest, 'old\n');
    const r = await harness().run(copy, { content: 'new\n', dest, backup: true });
    expect(r.backup_file).toMatch(new RegExp(`^${dest}\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~$`));
    expect(await readFile(r.backup_file as string, 'utf8')).toBe('old\n');
  });

  it('force=no leaves an existing file', async () => {
    const dest = join(dir, 'c6');
    await writeFile(dest, 'keep');
    expect(await harness().run(copy, { content: 'x', dest, force: 'no' })).toMatchObject({ changed: false, dest });
    expect(await readFile(dest, 'utf8')).toBe('keep');
  });

  it('validate failure leaves dest and no temp file behind', async () => {
    const sub = join(dir, 'val');
    await mkdir(sub);
    await writeFile(join(sub, 'f'), 'good');
    const r = await harness().run(copy, { content: 'bad', dest: join(sub, 'f'), validate: 'grep -q good %s' });
    expect(r).toMatchObject({ failed: true, msg: 'failed to validate' });
    expect(await readFile(join(sub, 'f'), 'utf8')).toBe('good');
    expect(await readdir(sub)).toEqual(['f']);
    expect(await harness().run(copy, { content: 'good2', dest: join(sub, 'f'), validate: 'grep -q good %s' })).toMatchObject({ changed: true });
  });

  it.each([
    ['content with a dir dest', { content: 'x', dest: '/tmp/' }, 'can not use content with a dir as dest'],
    ['missing parent dir', { content: 'x', dest: '/nonexistent-dir/f' }, 'Destination directory /nonexistent-dir does not exist'],
  ])('fails like ansible: %s', async (_n, args, msg) => {
    expect(await harness().run(copy, args)).toMatchObject({ failed: true, msg });
  });

  it('schema rejects bad args', () => {
    expect(validArgs(copy, { content: 'x', dest: '/x', mode: '0644', backup: 'yes' })).toBe(true);
    expect(validArgs(copy, { content: 'x' })).toBe(false);
    expect(validArgs(copy, { content: 'x', dest: '/x', bogus: 1 })).toBe(false);
    expect(validArgs(copy, { content: 'x', dest: '/x', backup: 'maybe' })).toBe(false);
  });
});

describe('copy src', () => {
  it('file into an existing directory dest, idempotent', async () => {
    const h = harness();
    const d = join(dir, 'd1');
    await mkdir(d);
    expect(await h.run(copy, { src: 'hello.txt', dest: d })).toMatchObject({ changed: true, dest: join(d, 'hello.txt') });
    const again = await tripsOf(h, copy, { src: 'hello.txt', dest: d });
    expect(again.result).toMatchObject({ changed: false, dest: join(d, 'hello.txt') });
    expect(again.trips).toBe(1);
  });

  it('directory: without trailing slash copies the dir itself, with it the contents', async () => {
    const h = harness();
    expect(await h.run(copy, { src: 'tree', dest: join(dir, 'o1/') })).toMatchObject({ changed: true, dest: join(dir, 'o1/') });
    expect(await readFile(join(dir, 'o1/tree/sub/b.txt'), 'utf8')).toBe('two\n');
    expect(await h.run(copy, { src: 'tree/', dest: join(dir, 'o2') })).toMatchObject({ changed: true, dest: join(dir, 'o2/') });
    expect((await readdir(join(dir, 'o2'))).sort()).toEqual(['a.txt', 'sub']);
    expect(await h.run(copy, { src: 'tree/', dest: join(dir, 'o2') })).toMatchObject({ changed: false });
  });

  it('remote_src copies a file that lives on the host', async () => {
    const h = harness();
    await writeFile(join(dir, 'rs'), 'remote\n');
    expect(await h.run(copy, { src: join(dir, 'rs'), dest: join(dir, 'rd'), remote_src: true })).toMatchObject({ changed: true });
    expect(await readFile(join(dir, 'rd'), 'utf8')).toBe('remote\n');
    expect(await h.run(copy, { src: join(dir, 'rs'), dest: join(dir, 'rd'), remote_src: true })).toMatchObject({ changed: false });
  });
});

describe('template', () => {
  it('renders with trim_blocks on, idempotent in ONE round trip, diff with src header', async () => {
    const h = harness({ name: 'n1' });
    const dest = join(dir, 'tpl');
    const r = await h.run(template, { src: 'simple.j2', dest }, { diff: true });
    expect(r).toMatchObject({ changed: true, dest, mode: '0644', state: 'file' });
    expect(await readFile(dest, 'utf8')).toBe('  x=2 name=n1\n');
    expect((r.diff as { after: string; before: string }[])[0]).toMatchObject({ before: '', after: '  x=2 name=n1\n' });
    const again = await tripsOf(h, template, { src: 'simple.j2', dest });
    expect(again.result.changed).toBe(false);
    expect(again.trips).toBe(1);
  });

  it('newline_sequence \\r\\n, check mode leaves the file', async () => {
    const h = harness({ name: 'n1' });
    const dest = join(dir, 'tpl');
    const r = await h.run(template, { src: 'simple.j2', dest, newline_sequence: '\r\n' }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect((r.diff as { after: string }[])[0]!.after).toBe('  x=2 name=n1\r\n');
    expect(await readFile(dest, 'utf8')).toBe('  x=2 name=n1\n');
  });

  it('schema requires src and dest', () => {
    expect(validArgs(template, { src: 'a', dest: 'b', trim_blocks: false })).toBe(true);
    expect(validArgs(template, { src: 'a' })).toBe(false);
    // like ansible: any codec name is accepted here; an unknown one fails when the template renders
    expect(validArgs(template, { src: 'a', dest: 'b', output_encoding: 'latin-1' })).toBe(true);
    expect(validArgs(template, { src: 'a', dest: 'b', output_encoding: ['utf-8'] })).toBe(false);
  });
});

describe('copy with become', () => {
  it('writes a new file under sudo in the probe\'s own exec, a changed one in a second, never with putFile', async () => {
    const h = harness();
    const dest = join(dir, 'become');
    const become = { method: 'sudo', user: 'root' } as const;
    const before = { execs: h.conn.execs, puts: h.conn.puts };
    const r = await h.run(copy, { content: 'via sudo\n', dest, mode: '0600' }, { become });
    expect(r).toMatchObject({ changed: true, mode: '0600', owner: 'root', size: 9 });
    expect(await readFile(dest, 'utf8')).toBe('via sudo\n');
    expect([h.conn.execs - before.execs, h.conn.puts - before.puts]).toEqual([1, 0]);
    expect(await h.run(copy, { content: 'via sudo\n', dest, mode: '0600' }, { become })).toMatchObject({ changed: false });
    const mid = { execs: h.conn.execs, puts: h.conn.puts };
    const r2 = await h.run(copy, { content: "it's new\n", dest }, { become });
    expect(r2).toMatchObject({ changed: true, mode: '0600', size: 9 });
    expect(await readFile(dest, 'utf8')).toBe("it's new\n");
    expect([h.conn.execs - mid.execs, h.conn.puts - mid.puts]).toEqual([2, 0]);
    expect((await readdir(dir)).filter((f) => f.includes('tsplay'))).toEqual([]);
  });
});
