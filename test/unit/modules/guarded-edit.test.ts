import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blockinfile } from '../../../engine/modules/blockinfile.js';
import { lineinfile } from '../../../engine/modules/lineinfile.js';
import { replace } from '../../../engine/modules/replace.js';
import { ModuleFailure } from '../../../engine/errors/index.js';
import type { Connection } from '../../../engine/types/connection.js';
import type { ModuleContext } from '../../../engine/types/module.js';
import { gateOf, harness, tempDir, type Harness } from './context.js';

/**
 * Edits of the file this host's last edit left are planned from the run's note and written in
 * ONE round trip, behind a check the host makes (guardedWrite). The oracle is the same edit by
 * a harness that keeps no notes (the plain probe-then-write path, itself checked against
 * ansible-core in the conformance tests): results, bytes and modes must be equal, whatever
 * changed the file behind the note.
 */
let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

/** One edit on both harnesses (each on its own copy of the file): results and the trips of each. */
async function both(noted: Harness, plain: Harness, paths: readonly [string, string], args: Record<string, unknown>, opts: { check?: boolean; diff?: boolean } = {}) {
  const trips = [noted.conn.trips, plain.conn.trips];
  const a = await noted.run(lineinfile, { ...args, path: paths[0] }, opts);
  const b = await plain.run(lineinfile, { ...args, path: paths[1] }, opts);
  return { noted: a, plain: b, trips: [noted.conn.trips - trips[0]!, plain.conn.trips - trips[1]!] };
}

/** The result with its own path written as PATH (the two harnesses edit two files). */
function samePath(r: Record<string, unknown>, path: string): unknown {
  return JSON.parse(JSON.stringify(r).split(path).join('PATH'));
}

function files(sub: string): [string, string] {
  const a = join(dir, sub, 'noted');
  const b = join(dir, sub, 'plain');
  mkdirSync(join(dir, sub, 'noted'), { recursive: true });
  mkdirSync(join(dir, sub, 'plain'), { recursive: true });
  return [join(a, 'conf'), join(b, 'conf')];
}

/** What is at path: its type and mode, and a file's bytes. */
function state(path: string): unknown {
  const st = spawnSync('stat', ['-c', '%F %a', '--', path], { encoding: 'utf8' }).stdout.trim();
  return { st, bytes: st.startsWith('regular') ? readFileSync(path) : undefined };
}

function expectSame(r: Awaited<ReturnType<typeof both>>, paths: readonly [string, string]): void {
  expect(samePath(r.noted, paths[0])).toEqual(samePath(r.plain, paths[1]));
  expect(state(paths[0])).toEqual(state(paths[1]));
}

/** No temp file left in the folders of both copies. */
function expectNoTemp(paths: readonly string[]): void {
  for (const p of paths) expect(readdirSync(join(p, '..')).filter((f) => f.includes('.tsplay-'))).toEqual([]);
}

describe('a change to the file the last edit left: ONE round trip', () => {
  it('gives the results, bytes and modes of the probe-then-write path, diffs included', async () => {
    const paths = files('seq');
    for (const p of paths) writeFileSync(p, 'a = 1\n');
    const noted = harness();
    const plain = harness({}, { noNotes: true });
    const steps: Record<string, unknown>[] = [
      { regexp: '^b =', line: 'b = 2' },
      { regexp: '^c =', line: 'c = 3', mode: '0600' },
      { regexp: '^a =', line: 'a = 10' },
      { regexp: '^b =', state: 'absent' },
      { line: 'top', insertbefore: 'BOF' },
    ];
    const trips: number[] = [];
    for (const args of steps) {
      const r = await both(noted, plain, paths, args, { diff: true });
      expectSame(r, paths);
      expect(r.noted.changed).toBe(true);
      expect(r.trips[1]).toBe(2);
      trips.push(r.trips[0]!);
    }
    // the first edit probes (the note is made there); every later one is the guarded write alone
    expect(trips).toEqual([2, 1, 1, 1, 1]);
    expect(readFileSync(paths[0], 'utf8')).toBe('top\na = 10\nc = 3\n');
    expect(statSync(paths[0]).mode & 0o7777).toBe(0o600);
    expectNoTemp(paths);
    // nothing left to change: one probe, as ever
    const again = await both(noted, plain, paths, steps[4]!);
    expect(again.noted).toEqual({ changed: false, msg: '', backup: '' });
    expect(again.trips).toEqual([1, 1]);
  });

  it('a noted text without a last newline is compared whole (the shell read ends on it)', async () => {
    const paths = files('no-eol');
    for (const p of paths) writeFileSync(p, 'a = 1\nb = 2');
    const noted = harness();
    const plain = harness({}, { noNotes: true });
    // replace leaves the last line without its newline: the note is of such a text
    const r1 = await noted.run(replace, { path: paths[0], regexp: '^a = 1$', replace: 'a = 9' });
    await plain.run(replace, { path: paths[1], regexp: '^a = 1$', replace: 'a = 9' });
    expect(r1).toMatchObject({ changed: true });
    expect(readFileSync(paths[0], 'utf8')).toBe('a = 9\nb = 2');
    const r = await both(noted, plain, paths, { regexp: '^c =', line: 'c = 3' });
    expectSame(r, paths);
    expect(r.trips).toEqual([1, 2]);
  });

  it('blockinfile edits go the same way', async () => {
    const p = join(dir, 'block.conf');
    writeFileSync(p, 'x\n');
    const h = harness();
    expect(await h.run(blockinfile, { path: p, block: 'one' })).toMatchObject({ changed: true, msg: 'Block inserted' });
    const before = h.conn.trips;
    expect(await h.run(blockinfile, { path: p, block: 'two' })).toMatchObject({ changed: true, msg: 'Block inserted' });
    expect(h.conn.trips - before).toBe(1);
    expect(readFileSync(p, 'utf8')).toBe('x\n# BEGIN ANSIBLE MANAGED BLOCK\ntwo\n# END ANSIBLE MANAGED BLOCK\n');
  });
});

describe('the file changed behind the note: the guard writes nothing, the edit goes by the real file', () => {
  /** Makes both harnesses note the file, lets `tamper` change both copies, then edits again. */
  async function afterTamper(sub: string, tamper: (p: string) => void, next: Record<string, unknown> = { regexp: '^z =', line: 'z = 26' }) {
    const paths = files(sub);
    for (const p of paths) writeFileSync(p, 'a = 1\nb = 2\n');
    const noted = harness();
    const plain = harness({}, { noNotes: true });
    await both(noted, plain, paths, { regexp: '^c =', line: 'c = 3' });
    for (const p of paths) tamper(p);
    const r = await both(noted, plain, paths, next);
    return { r, paths };
  }

  const cases: [string, (p: string) => void][] = [
    ['other bytes of the same size', (p) => writeFileSync(p, 'a = 7\nb = 2\nc = 3\n')],
    ['a line appended', (p) => writeFileSync(p, 'a = 1\nb = 2\nc = 3\nd = 4\n', { flag: 'w' })],
    ['a NUL byte added (the shell read drops it: only the size tells)', (p) => writeFileSync(p, Buffer.from('a = 1\nb = \x002\nc = 3\n'))],
    ['another mode', (p) => chmodSync(p, 0o600)],
    ['another owner', (p) => chownSync(p, 65534, 65534)],
    ['a symlink in its place', (p) => {
      writeFileSync(`${p}.real`, 'a = 1\nb = 2\nc = 3\n');
      rmSync(p);
      symlinkSync(`${p}.real`, p);
    }],
    ['a folder in its place', (p) => {
      rmSync(p);
      mkdirSync(p);
    }],
    ['removed (create off: the missing result)', (p) => rmSync(p)],
  ];

  it.each(cases)('%s', async (name, tamper) => {
    const { r, paths } = await afterTamper(name.replace(/\W+/g, '-'), tamper);
    expectSame(r, paths);
    // the guard's exec printed the probe instead of writing; a change then costs the usual write
    expect(r.trips[0]).toBe(r.trips[1]);
    expectNoTemp(paths);
  });

  it('a guard that misses keeps what changed the file: the edit lands on it', async () => {
    const { r, paths } = await afterTamper('kept', (p) => writeFileSync(p, 'a = 7\nb = 2\nc = 3\n'));
    expect(r.noted).toMatchObject({ changed: true, msg: 'line added' });
    expect(readFileSync(paths[0], 'utf8')).toBe('a = 7\nb = 2\nc = 3\nz = 26\n');
  });
});

describe('where the guard does not apply', () => {
  it('check mode: the note is not written through; the file stays', async () => {
    const p = join(dir, 'check.conf');
    writeFileSync(p, 'a = 1\n');
    const h = harness();
    await h.run(lineinfile, { path: p, line: 'b = 2' });
    const r = await h.run(lineinfile, { path: p, line: 'c = 3' }, { check: true, diff: true });
    expect(r).toMatchObject({ changed: true, msg: 'line added' });
    expect((r.diff as { after: string }[])[0]!.after).toBe('a = 1\nb = 2\nc = 3\n');
    expect(readFileSync(p, 'utf8')).toBe('a = 1\nb = 2\n');
    expect(h.conn.commands.at(-1)).not.toContain('@@TSPLAY-GUARD');
  });

  it('backup and validate act on the file the host holds: probe, then write', async () => {
    const p = join(dir, 'bv.conf');
    writeFileSync(p, 'a = 1\n');
    const h = harness();
    await h.run(lineinfile, { path: p, line: 'b = 2' });
    let before = h.conn.trips;
    const b = await h.run(lineinfile, { path: p, line: 'c = 3', backup: true });
    expect(h.conn.trips - before).toBe(2);
    expect(readFileSync(b.backup as string, 'utf8')).toBe('a = 1\nb = 2\n');
    rmSync(b.backup as string);
    before = h.conn.trips;
    expect(await h.run(lineinfile, { path: p, line: 'd = 4', validate: 'grep -q "d = 4" %s' })).toMatchObject({ changed: true });
    expect(h.conn.trips - before).toBe(2);
    expect(await h.run(lineinfile, { path: p, line: 'e = 5', validate: 'false %s' })).toMatchObject({ failed: true, msg: 'failed to validate' });
    expect(readFileSync(p, 'utf8')).toBe('a = 1\nb = 2\nc = 3\nd = 4\n');
  });
});

describe('create: a new file in the probe\'s round trip', () => {
  it('is written when absent, with the result, bytes and mode of the write after a probe', async () => {
    // the oracle goes the long way: its folder is missing, so the host cannot write at once
    const noted = join(dir, 'create', 'conf');
    const plain = join(dir, 'create-later', 'conf');
    mkdirSync(join(dir, 'create'));
    const h = harness();
    const args = { line: 'k = v', create: true, mode: '0640' };
    const r = await h.run(lineinfile, { ...args, path: noted }, { diff: true });
    const o = harness({}, { noNotes: true });
    const oracle = await o.run(lineinfile, { ...args, path: plain }, { diff: true });
    expect(samePath(r, noted)).toEqual(samePath(oracle, plain));
    expect(r).toMatchObject({ changed: true, msg: 'line added and ownership, perms or SE linux context changed' });
    expect([h.conn.trips, o.conn.trips]).toEqual([1, 3]);
    expect(state(noted)).toEqual(state(plain));
    expect(statSync(noted).mode & 0o7777).toBe(0o640);
    // the note it leaves lets the next change go in one
    const before = h.conn.trips;
    await h.run(lineinfile, { ...args, line: 'k2 = v2', path: noted });
    expect(h.conn.trips - before).toBe(1);
    expect(readFileSync(noted, 'utf8')).toBe('k = v\nk2 = v2\n');
  });

  it("under a folder's default ACL (which overrides the umask) one more exec sets the asked mode", async () => {
    const folder = join(dir, 'acl');
    mkdirSync(folder);
    // a default ACL user::rw- group::r-- mask::r-- other::--- written as the kernel's xattr (no setfacl here)
    const acl = spawnSync('python3', ['-c', `import os,struct
os.setxattr(${JSON.stringify(folder)},'system.posix_acl_default',struct.pack('<I',2)+b''.join(struct.pack('<HHI',t,p,0xffffffff) for t,p in [(1,6),(4,4),(16,4),(32,0)]))`]);
    expect(acl.status, acl.stderr.toString()).toBe(0);
    const h = harness();
    const r = await h.run(lineinfile, { path: join(folder, 'conf'), line: 'k = v', create: true, mode: '0644' });
    expect(r).toMatchObject({ changed: true });
    expect(statSync(join(folder, 'conf')).mode & 0o7777).toBe(0o644);
    expect(h.conn.trips).toBe(2);
    expect(h.conn.commands.at(-1)).toContain('chmod 0644');
  });

  it('an existing file is not touched by the speculative write: the plan goes by it', async () => {
    const paths = files('create-exists');
    for (const p of paths) writeFileSync(p, 'old = 1\n');
    const r = await both(harness(), harness({}, { noNotes: true }), paths, { line: 'k = v', create: true });
    expectSame(r, paths);
    expect(readFileSync(paths[0], 'utf8')).toBe('old = 1\nk = v\n');
  });
});

describe('a full disk under a guarded write (a real tmpfs)', () => {
  let mnt: string;
  beforeEach(() => {
    mnt = join(dir, 'small');
    mkdirSync(mnt, { recursive: true });
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    expect(m.status, m.stderr.toString()).toBe(0);
  });
  afterEach(() => {
    spawnSync('umount', [mnt]);
  });

  it('fails the task in its one round trip, keeps the old file whole and leaves no temp file', async () => {
    const h = harness();
    const path = join(mnt, 'lines');
    writeFileSync(path, 'a = 1\n');
    await h.run(lineinfile, { path, line: 'b = 2' });
    spawnSync('/bin/sh', ['-c', `head -c 1M /dev/zero > '${mnt}/filler'`]);
    const before = h.conn.trips;
    const r = await h.run(lineinfile, { path, line: `c = ${'3'.repeat(20000)}` });
    expect(h.conn.trips - before).toBe(1);
    expect(h.conn.commands.at(-1)).toContain('@@TSPLAY-GUARD');
    expect(r).toMatchObject({ changed: false, failed: true });
    expect(String(r.msg)).toMatch(/^failed to write .*lines: .*(No space left on device|I\/O error)/);
    expect(readFileSync(path, 'utf8')).toBe('a = 1\nb = 2\n');
    expect(readdirSync(mnt).sort()).toEqual(['filler', 'lines']);
    // the note is gone: the next edit probes first
    rmSync(join(mnt, 'filler'));
    const next = h.conn.trips;
    expect(await h.run(lineinfile, { path, line: 'd = 4' })).toMatchObject({ changed: true });
    expect(h.conn.trips - next).toBe(2);
  });
});

describe('a host whose answer lacks the probe', () => {
  it('fails the task with a module failure, not an internal error', async () => {
    // a transport answering without the probe's lines (an output cut short): the task runner
    // turns a ModuleFailure into a failed task; any other error would stop the run
    const mute: Connection = {
      hostName: 'mute',
      exec: async () => ({ rc: 0, stdout: '', stderr: '' }),
      putFile: async () => undefined,
      getFile: async () => Buffer.alloc(0),
      close: async () => undefined,
    };
    const ctx: ModuleContext = {
      host: 'mute', args: { path: '/etc/x.conf', line: 'a' }, loc: { file: 'test.yml', line: 1, col: 1 },
      ...gateOf(mute, false),
      findFile: () => { throw new Error('no files'); },
      templating: { renderFile: (t) => t, evaluate: () => undefined, conditional: () => true }, vars: {}, log: () => undefined,
    };
    const run = lineinfile.run(ctx);
    await expect(run).rejects.toBeInstanceOf(ModuleFailure);
    await expect(run).rejects.toThrow(/the host's answer has no probe of \/etc\/x\.conf/);
  });
});
