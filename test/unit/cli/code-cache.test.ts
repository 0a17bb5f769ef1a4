import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDir, cacheFile, readCache, writeCache } from '../../../engine/cli/code-cache.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

// The V8 code cache of the CLI bundle (issue 17, start-up): what is read back, what is refused.
const root = join(__dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'tsplay-code-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const KEY = Buffer.alloc(32, 7);
const PAYLOAD = Buffer.from('not really V8 data, but bytes to carry');
const ENTRY = { coverage: 'start-only', payload: PAYLOAD } as const;

function freshDir(name: string): string {
  return join(mkdtempSync(join(work, `${name}-`)), 'tsplay');
}

describe('cache file', () => {
  it('is written 0600 in a 0700 directory and read back whole', () => {
    const file = join(freshDir('rw'), 'x.v8');
    writeCache(file, KEY, ENTRY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    expect(readCache(file, KEY)).toEqual(ENTRY);
    expect(readdirSync(join(file, '..'))).toEqual(['x.v8']); // no temp file left
  });

  it('keeps the coverage of the run that wrote it', () => {
    const file = join(freshDir('cov'), 'x.v8');
    writeCache(file, KEY, { coverage: 'playbook', payload: PAYLOAD });
    expect(readCache(file, KEY)).toEqual({ coverage: 'playbook', payload: PAYLOAD });
  });

  it("is ignored when it belongs to another bundle (the key is the bundle's hash)", () => {
    const file = join(freshDir('key'), 'x.v8');
    writeCache(file, KEY, ENTRY);
    expect(readCache(file, Buffer.alloc(32, 8))).toBeUndefined();
  });

  it.each([
    ['a flipped byte in the payload', (b: Buffer) => { b[b.length - 1] ^= 1; return b; }],
    ['a truncated file', (b: Buffer) => b.subarray(0, b.length - 5)],
    ['only the header', (b: Buffer) => b.subarray(0, b.length - PAYLOAD.length)],
    ['another format', (b: Buffer) => Buffer.concat([Buffer.from('x'), b.subarray(1)])],
    ['an empty file', () => Buffer.alloc(0)],
    ['a coverage byte of no known kind (digest made to match)', (b: Buffer) => {
      const head = 'tsplay-v8-code-cache 2\n'.length + 32;
      const rest = Buffer.from(b.subarray(head + 32));
      rest[0] = 9;
      return Buffer.concat([b.subarray(0, head), createHash('sha256').update(rest).update('\0').digest(), rest]);
    }],
  ])('is ignored when damaged: %s', (_what, damage) => {
    const file = join(freshDir('bad'), 'x.v8');
    writeCache(file, KEY, ENTRY);
    writeFileSync(file, damage(readFileSync(file)));
    expect(readCache(file, KEY)).toBeUndefined();
  });

  it('is ignored when others may write it or its directory (it is loaded as code)', () => {
    const file = join(freshDir('perm'), 'x.v8');
    writeCache(file, KEY, ENTRY);
    chmodSync(file, 0o620);
    expect(readCache(file, KEY)).toBeUndefined();
    chmodSync(file, 0o600);
    chmodSync(join(file, '..'), 0o777);
    expect(readCache(file, KEY)).toBeUndefined();
  });

  it('writing one removes the caches not written for 30 days, and nothing else in the directory', () => {
    const dir = freshDir('prune');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const old = join(dir, `${'a'.repeat(24)}.v8`);
    const oldTmp = join(dir, `${'b'.repeat(24)}.v8.123.tmp`);
    const recent = join(dir, `${'c'.repeat(24)}.v8`);
    const other = join(dir, 'mirror-sha256.json');
    for (const f of [old, oldTmp, recent, other]) writeFileSync(f, 'x');
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    for (const f of [old, oldTmp, other]) utimesSync(f, longAgo, longAgo);
    writeCache(join(dir, 'x.v8'), KEY, ENTRY);
    expect(readdirSync(dir).sort()).toEqual([`${'c'.repeat(24)}.v8`, 'mirror-sha256.json', 'x.v8']);
  });

  it('is missing without an error', () => {
    expect(readCache(join(work, 'nothing', 'x.v8'), KEY)).toBeUndefined();
  });

  it('lives under XDG_CACHE_HOME when it is absolute, else ~/.cache; one file per bundle and node flags', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/tsplay');
    expect(cacheDir({ XDG_CACHE_HOME: 'relative' })).toMatch(/\/\.cache\/tsplay$/);
    const a = cacheFile('/c', '/x/main.cjs', {});
    expect(cacheFile('/c', '/x/main.cjs', {})).toBe(a);
    expect(cacheFile('/c', '/y/main.cjs', {})).not.toBe(a);
    expect(cacheFile('/c', '/x/main.cjs', { NODE_OPTIONS: '--max-old-space-size=100' })).not.toBe(a);
  });
});

// needs `npm run build` (bin/tsplay.js runs dist/cli/main.cjs), like the other CLI tests
describe('the built CLI with the cache', () => {
  const run = (cache: string, extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(root, 'bin', 'tsplay.js'), '--version'], { encoding: 'utf8', env: isolatedEnv({ XDG_CACHE_HOME: cache, ...extra }) });

  it('writes the cache on the first run, uses it after, and rewrites a damaged one', () => {
    const cache = join(work, 'xdg');
    const first = run(cache);
    expect(first.status, first.stderr).toBe(0);
    const files = readdirSync(join(cache, 'tsplay'));
    expect(files).toHaveLength(1);
    const file = join(cache, 'tsplay', files[0]!);
    const written = statSync(file);
    expect(written.mode & 0o777).toBe(0o600);

    // accepted by V8: the second run leaves it as it is (a rejected cache is written again)
    const second = run(cache);
    expect(second.stdout).toBe(first.stdout);
    expect(statSync(file).mtimeMs).toBe(written.mtimeMs);

    const damaged = readFileSync(file);
    damaged[damaged.length - 100] ^= 0xff;
    writeFileSync(file, damaged);
    const third = run(cache);
    expect(third.status, third.stderr).toBe(0);
    expect(third.stdout).toBe(first.stdout);
    expect(readFileSync(file).equals(damaged)).toBe(false);
  });

  it('is written again, once, by the first playbook run after a --version run wrote it', () => {
    const cache = join(work, 'coverage');
    const play = join(work, 'empty-play.yml');
    writeFileSync(play, '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: {msg: hi}\n');
    const playRun = () => spawnSync(process.execPath, [join(root, 'bin', 'tsplay.js'), play, '-i', 'localhost,', '-c', 'local'], { encoding: 'utf8', env: isolatedEnv({ XDG_CACHE_HOME: cache }) });
    expect(run(cache).status).toBe(0);
    const [name] = readdirSync(join(cache, 'tsplay'));
    const file = join(cache, 'tsplay', name!);
    const small = readFileSync(file);
    // the byte after the header and digest: 0 start-only, 1 playbook
    const coverageOf = (b: Buffer) => b['tsplay-v8-code-cache 2\n'.length + 64];
    expect(coverageOf(small)).toBe(0);

    const first = playRun();
    expect(first.status, first.stderr).toBe(0);
    const grown = readFileSync(file);
    expect(coverageOf(grown)).toBe(1);
    expect(grown.length).toBeGreaterThan(small.length); // the functions the playbook run compiled

    // converged: neither another playbook run nor a --version run writes it again
    const mtime = statSync(file).mtimeMs;
    expect(playRun().status).toBe(0);
    expect(run(cache).status).toBe(0);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it('TSPLAY_NO_CODE_CACHE=1 neither reads nor writes it', () => {
    const cache = join(work, 'off');
    const r = run(cache, { TSPLAY_NO_CODE_CACHE: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(cache, 'tsplay'))).toBe(false);
  });
});
