import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inlineable, receiveLines } from '../../../engine/modules/remote-file/write.js';
import { lineinfile } from '../../../engine/modules/lineinfile.js';
import { copy as copyModule } from '../../../engine/modules/copy.js';
import { harness } from './context.js';

// The host side of every copy/template/lineinfile write: the payload on stdin must be whole
// before dest is replaced, and the temp file never outlives the script.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-aw-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function receive(payload: Buffer, sent: Buffer): { rc: number; stderr: string; modeWhileWriting: string } {
  const tmp = join(dir, '.dest.tsplay-test');
  const script = [...receiveLines(tmp, payload), `stat -c %a -- '${tmp}'`, `mv -f -- '${tmp}' '${join(dir, 'dest')}'`].join('\n');
  const r = spawnSync('/bin/sh', ['-c', script], { input: sent });
  return { rc: r.status ?? -1, stderr: r.stderr.toString(), modeWhileWriting: r.stdout.toString().trim() };
}

describe('receiving a payload on the host', () => {
  const payload = Buffer.from('new content\n'.repeat(1000));

  it('replaces dest when every byte arrived, and the temp file was private meanwhile', () => {
    const r = receive(payload, payload);
    expect(r.rc).toBe(0);
    expect(r.modeWhileWriting).toBe('600');
    expect(readFileSync(join(dir, 'dest'))).toEqual(payload);
  });

  it('keeps dest when the input ended early (dead controller or channel) and removes the temp file', () => {
    writeFileSync(join(dir, 'dest'), 'old');
    const r = receive(payload, payload.subarray(0, 5000));
    expect(r.rc).toBe(1);
    expect(r.stderr).toContain(`incomplete upload: received 5000 of ${payload.length} bytes`);
    expect(readFileSync(join(dir, 'dest'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['dest']);
  });

  it('keeps dest when the bytes differ though the size matches', () => {
    writeFileSync(join(dir, 'dest'), 'old');
    const bad = Buffer.from(payload);
    bad[10] = 0x41;
    const r = receive(payload, bad);
    expect(r.rc).toBe(1);
    expect(r.stderr).toContain('corrupt upload: sha1 mismatch');
    expect(readdirSync(dir)).toEqual(['dest']);
  });
});

describe('copy through the write helper', () => {
  it('a 0600 target is never readable by others and a 0644 default applies to new files', async () => {
    const h = harness();
    const secret = join(dir, 'secret');
    const r1 = await h.run(copyModule, { content: 'k', dest: secret, mode: '0600' });
    expect(r1.changed).toBe(true);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    const plain = join(dir, 'plain');
    await h.run(copyModule, { content: 'p', dest: plain });
    const umask = process.umask();
    expect(statSync(plain).mode & 0o777).toBe(0o666 & ~umask);
    expect(readdirSync(dir).sort()).toEqual(['plain', 'secret']);
  });

  it('a failed validate removes the temp file and keeps dest', async () => {
    const h = harness();
    const dest = join(dir, 'conf');
    writeFileSync(dest, 'old');
    const r = await h.run(copyModule, { content: 'new', dest, validate: 'false %s' });
    expect(r.failed).toBe(true);
    expect(readFileSync(dest, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['conf']);
  });
});

describe('a payload inside the command text (printf builtin, no program for the bytes)', () => {
  it('is taken for UTF-8 text without NUL whose quoting stays small, refused otherwise', () => {
    expect(inlineable(Buffer.from('key = value\n'.repeat(100)))).toBe(true);
    expect(inlineable(Buffer.from('héllo wörld\r\n\ttab'))).toBe(true);
    expect(inlineable(Buffer.from('a\0b'))).toBe(false);
    expect(inlineable(Buffer.from([0xff, 0xfe, 0x41]))).toBe(false);
    expect(inlineable(Buffer.alloc(40 * 1024, 0x61))).toBe(false);
    // every ' costs 63 more characters once quoted three times over
    expect(inlineable(Buffer.from("'".repeat(500)))).toBe(true);
    expect(inlineable(Buffer.from("'".repeat(600)))).toBe(false);
  });

  it('carries quotes, backslashes, $, UTF-8 and a missing last newline byte for byte', async () => {
    const h = harness();
    const dest = join(dir, 'tricky');
    const text = "it's \\n $HOME `id` \"q\" %s %%\n€ ünï\r\nno newline";
    const r = await h.run(copyModule, { content: text, dest, mode: '0640' });
    expect(r).toMatchObject({ changed: true, mode: '0640', size: Buffer.byteLength(text) });
    expect(readFileSync(dest, 'utf8')).toBe(text);
    expect(h.conn.commands.at(-1)).not.toContain('cat >');
    expect(readdirSync(dir)).toEqual(['tricky']);
  });
});

describe('a full disk under the inline write (a real tmpfs)', () => {
  let mnt: string;
  beforeEach(() => {
    mnt = join(dir, 'small');
    spawnSync('mkdir', [mnt]);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    expect(m.status, m.stderr.toString()).toBe(0);
  });
  afterEach(() => {
    spawnSync('umount', [mnt]);
  });

  function fill(): void {
    // what is left is far less than the 20 KiB payloads
    spawnSync('/bin/sh', ['-c', `head -c 1M /dev/zero > '${mnt}/filler'`]);
  }

  it('a changed file: the task fails, dest keeps its old bytes, no temp file stays', async () => {
    const h = harness();
    const dest = join(mnt, 'conf');
    writeFileSync(dest, 'old\n');
    fill();
    const r = await h.run(copyModule, { content: 'new line\n'.repeat(2300), dest, mode: '0644' });
    expect(r.failed).toBe(true);
    expect(String(r.msg)).toMatch(/No space left on device|I\/O error/);
    expect(readFileSync(dest, 'utf8')).toBe('old\n');
    expect(readdirSync(mnt).sort()).toEqual(['conf', 'filler']);
  });

  it('a new file written in the probe\'s exec: the task fails, no dest and no temp file', async () => {
    const h = harness();
    fill();
    const before = h.conn.execs;
    const r = await h.run(copyModule, { content: 'x'.repeat(20000), dest: join(mnt, 'new.conf') });
    expect(r.failed).toBe(true);
    expect(String(r.msg)).toMatch(/^failed to write .*new\.conf: .*(No space left on device|I\/O error)/);
    expect(h.conn.execs - before).toBe(1);
    expect(readdirSync(mnt)).toEqual(['filler']);
  });

  it('lineinfile on a full disk keeps the old file whole', async () => {
    const h = harness();
    const path = join(mnt, 'lines');
    writeFileSync(path, 'a = 1\n');
    fill();
    const r = await h.run(lineinfile, { path, line: `b = ${'2'.repeat(20000)}` });
    expect(r.failed).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('a = 1\n');
    expect(readdirSync(mnt).sort()).toEqual(['filler', 'lines']);
  });
});

describe('a new file created with its mode (the umask, no chmod)', () => {
  /** copy of a new file: its result, the execs it took, its last command. */
  async function copyNew(name: string, content: string, mode: string) {
    const h = harness();
    const before = h.conn.execs;
    const r = await h.run(copyModule, { content, dest: join(dir, name), mode });
    return { r, execs: h.conn.execs - before, last: h.conn.commands.at(-1)!, mode: statSync(join(dir, name)).mode & 0o7777 };
  }

  it('gets a mode without execute bits from the umask, in one exec, with no chmod and no forked $(umask)', async () => {
    const c = await copyNew('conf', 'a = 1\n', '0640');
    expect(c.r).toMatchObject({ changed: true, mode: '0640' });
    expect([c.mode, c.execs]).toEqual([0o640, 1]);
    expect(c.last).toContain('umask 137');
    expect(c.last).not.toContain('chmod');
    expect(c.last).not.toContain('$(umask)');
  });

  it('keeps chmod for execute bits, for an owner to set, and for a file that exists', async () => {
    const h = harness();
    await h.run(copyModule, { content: '#!/bin/sh\n', dest: join(dir, 'run'), mode: '0755' });
    expect(h.conn.commands.at(-1)).toContain('chmod 0755');
    expect(statSync(join(dir, 'run')).mode & 0o7777).toBe(0o755);
    writeFileSync(join(dir, 'old'), 'x');
    await h.run(copyModule, { content: 'y', dest: join(dir, 'old'), mode: '0600' });
    expect(h.conn.commands.at(-1)).toContain('umask 077');
    expect(h.conn.commands.at(-1)).toContain('chmod 0600');
    expect(statSync(join(dir, 'old')).mode & 0o7777).toBe(0o600);
  });

  it("under a folder's default ACL (which overrides the umask) one more exec sets the asked mode", async () => {
    // a default ACL user::rw- group::r-- mask::r-- other::--- written as the kernel's xattr (no setfacl here)
    const acl = spawnSync('python3', ['-c', `import os,struct
os.setxattr(${JSON.stringify(dir)},'system.posix_acl_default',struct.pack('<I',2)+b''.join(struct.pack('<HHI',t,p,0xffffffff) for t,p in [(1,6),(4,4),(16,4),(32,0)]))`]);
    expect(acl.status, acl.stderr.toString()).toBe(0);
    const c = await copyNew('shared.conf', 'k = v\n', '0644');
    expect(c.r).toMatchObject({ changed: true, mode: '0644' });
    expect([c.mode, c.execs]).toEqual([0o644, 2]);
    expect(c.last).toContain('chmod 0644');
  });
});
