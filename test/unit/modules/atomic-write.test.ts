import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveLines } from '../../../engine/modules/remote-file/write.js';
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
