import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProbe, probeScript, unanswered, type ProbeItem, type RemoteStat } from '../../../engine/modules/remote-file/probe.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs a probe under sh with PATH holding only logging wrappers of the programs a probe may
 * start: returns the output and the programs started, in order (builtins do not show up).
 */
function runCounted(script: string): { stdout: string; started: string[]; rc: number } {
  const bin = join(dir, 'bin');
  const log = join(dir, 'started.log');
  mkdirSync(bin, { recursive: true });
  writeFileSync(log, '');
  for (const prog of ['stat', 'sha1sum', 'md5sum', 'base64', 'readlink', 'realpath', 'file', 'cut']) {
    const real = spawnSync('sh', ['-c', `command -v ${prog}`], { encoding: 'utf8' }).stdout.trim();
    if (real === '') continue;
    writeFileSync(join(bin, prog), `#!/bin/sh\necho ${prog} >> '${log}'\nexec ${real} "$@"\n`);
    chmodSync(join(bin, prog), 0o755);
  }
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: bin } });
  return { stdout: r.stdout, started: readFileSync(log, 'utf8').split('\n').filter((l) => l !== ''), rc: r.status ?? -1 };
}

describe('remote file probe', () => {
  const file = join(dir, 'a file with "quotes" and $dollar');
  const link = join(dir, 'link');
  writeFileSync(file, 'hello\n');
  symlinkSync(file, link);

  it("copy's idempotent probe (destination with checksum, its folder) starts stat once and the hash program", () => {
    const items: ProbeItem[] = [{ path: file, checksum: 'sha1', follow: true }, { path: dir }];
    const { stdout, started, rc } = runCounted(probeScript(items));
    expect(rc).toBe(0);
    expect([...started].sort()).toEqual(['sha1sum', 'stat']);
    const [f, d] = parseProbe(items, stdout) as RemoteStat[];
    expect(f).toMatchObject({ exists: true, type: 'file', size: 6, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f' });
    expect(f!.inode).toBe(lstatSync(file).ino);
    expect(f!.mode).toBe(lstatSync(file).mode & 0o7777);
    expect(d).toMatchObject({ exists: true, type: 'directory' });
  });

  it("copy's idempotent probe of a small text dest starts stat alone: the shell reads the text, the checksum is computed here", () => {
    const items: ProbeItem[] = [{ path: file, checksum: 'sha1', follow: true, textUpTo: 6 }, { path: dir }];
    const { stdout, started, rc } = runCounted(probeScript(items));
    expect(rc).toBe(0);
    expect(started).toEqual(['stat']);
    const [f] = parseProbe(items, stdout) as RemoteStat[];
    expect(f).toMatchObject({ exists: true, type: 'file', size: 6, checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f' });
  });

  it('lineinfile-style content of a small file comes from the shell; a larger file falls back to the programs', () => {
    const odd = join(dir, 'odd');
    writeFileSync(odd, Buffer.from('  lead\\t \\ $x `y`\r\n\u00e9\nno newline'));
    const small = runCounted(probeScript([{ path: odd, content: true, textUpTo: 1000 }]));
    expect(small.started).toEqual(['stat']);
    expect((parseProbe([{ path: odd, content: true, textUpTo: 1000 }], small.stdout)[0] as RemoteStat).content).toEqual(readFileSync(odd));
    const big = runCounted(probeScript([{ path: odd, content: true, textUpTo: 10 }]));
    expect([...big.started].sort()).toEqual(['base64', 'stat']);
    expect((parseProbe([{ path: odd, content: true, textUpTo: 10 }], big.stdout)[0] as RemoteStat).content).toEqual(readFileSync(odd));
  });

  it('a file the builtins cannot carry (NUL byte) comes back without checksum (it differs), and content is asked again', () => {
    const bin = join(dir, 'bin.dat');
    writeFileSync(bin, Buffer.from([0x61, 0, 0x62, 0x0a]));
    const items: ProbeItem[] = [{ path: bin, checksum: 'sha1', textUpTo: 4 }, { path: bin, content: true, textUpTo: 4 }];
    const results = parseProbe(items, runCounted(probeScript(items)).stdout);
    expect(results[0]).toMatchObject({ exists: true, size: 4 });
    expect((results[0] as RemoteStat).checksum).toBeUndefined();
    expect((results[1] as RemoteStat).content).toBeUndefined();
    expect(unanswered(items, results)).toEqual([1]);
  });

  it('file text that looks like the probe markers cannot confuse the parser', () => {
    const tricky = join(dir, 'tricky');
    writeFileSync(tricky, '@@TSPLAY-PROBE 1\n@@TSPLAY-PROBE-STAT\nN\n');
    const items: ProbeItem[] = [{ path: tricky, checksum: 'sha1', textUpTo: 100 }, { path: dir }];
    const [t, d] = parseProbe(items, runCounted(probeScript(items)).stdout) as RemoteStat[];
    expect(t).toMatchObject({ exists: true, type: 'file', size: statSync(tricky).size });
    expect(t!.checksum).toBe(createHash('sha1').update(readFileSync(tricky)).digest('hex'));
    expect(d).toMatchObject({ exists: true, type: 'directory' });
  });

  it('answers links, missing paths and content like one stat per path did', () => {
    const items: ProbeItem[] = [{ path: link }, { path: join(dir, 'missing') }, { path: link, follow: true, content: true }, { path: file }];
    const { stdout, rc } = runCounted(probeScript(items));
    expect(rc).toBe(0);
    const [l, missing, followed, plain] = parseProbe(items, stdout);
    expect(l).toMatchObject({ exists: true, type: 'link', linkTarget: file, linkSource: file });
    expect(missing).toEqual({ exists: false, path: join(dir, 'missing') });
    expect(followed).toMatchObject({ exists: true, type: 'file', size: 6 });
    expect((followed as RemoteStat).content?.toString()).toBe('hello\n');
    expect(plain).toMatchObject({ exists: true, type: 'file', inode: lstatSync(file).ino });
  });

  it('keeps the positional parameters and ends with status 0 inside a set -e script', () => {
    const { stdout, rc } = runCounted(`set -e\nset -- one two\n${probeScript([{ path: join(dir, 'missing') }, { path: file }])}\necho "args=$*"`);
    expect(rc).toBe(0);
    expect(stdout).toContain('args=one two');
  });

  it('a path gone between the test and the batched stat reads as absent (the per-path retry)', () => {
    const line = '81a4|0|0|root|root|6|1.0|2.0|3.0|42|1|2049|8|4096';
    const out = ['@@TSPLAY-PROBE 0', 'P', '@@TSPLAY-PROBE 1', 'P', '@@TSPLAY-PROBE-STAT', line, '@@TSPLAY-PROBE-RESTAT', 'N', line, ''].join('\n');
    const [gone, kept] = parseProbe([{ path: '/a' }, { path: '/b' }], out);
    expect(gone).toEqual({ exists: false, path: '/a' });
    expect(kept).toMatchObject({ exists: true, path: '/b', inode: 42, type: 'file', mode: 0o644 });
  });
});
