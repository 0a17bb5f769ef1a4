import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { get_url } from '../../../engine/modules/get_url.js';
import { digestFromLines, parseChecksumArg, urlFilename } from '../../../engine/modules/system/checksum.js';
import { curlConfig } from '../../../engine/modules/system/curl.js';
import { harness, tempDir, tripsOf, validArgs } from '../modules/context.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('get_url with file:// URLs on the host (LocalConnection)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeFile(`${dir}/src.txt`, 'hello\n');
  });
  afterEach(() => cleanup());

  it('downloads, then a second run with the same checksum costs one probe and changes nothing', async () => {
    const h = harness();
    const args = { url: `file://${dir}/src.txt`, dest: `${dir}/out.txt`, checksum: `sha256:${sha256('hello\n')}` };
    const first = await h.run(get_url, args);
    // expectations from ansible-core 2.14: msg "OK (6 bytes)", checksum_src sha1, md5sum, mode 0644
    expect(first).toMatchObject({ changed: true, dest: `${dir}/out.txt`, msg: 'OK (6 bytes)', checksum_src: 'f572d396fae9206628714fb2ce00f72e94f2258f',
      md5sum: 'b1946ac92492d2347c6235b4d2611184', mode: '0644', size: 6, state: 'file', status_code: null, checksum_dest: null });
    expect(await readFile(`${dir}/out.txt`, 'utf8')).toBe('hello\n');
    const again = await tripsOf(h, get_url, args);
    expect(again.result).toMatchObject({ changed: false, msg: 'file already exists' });
    expect(again.trips).toBe(1);
  });

  it('a wrong checksum fails and leaves neither dest nor a temp file behind', async () => {
    const h = harness();
    const r = await h.run(get_url, { url: `file://${dir}/src.txt`, dest: `${dir}/bad.txt`, checksum: 'sha256:0000' });
    expect(r.failed).toBe(true);
    expect(r.msg).toBe(`The checksum for ${dir}/bad.txt did not match 0000; it was ${sha256('hello\n')}.`);
    expect((await readdir(dir)).sort()).toEqual(['src.txt']);
  });

  it('a directory dest takes the name from the URL; without checksum a same-content fetch is ok, not changed', async () => {
    const h = harness();
    await h.run(get_url, { url: `file://${dir}/src.txt`, dest: `${dir}/sub/` }).then((r) => expect(r.failed).toBe(true));
    const r1 = await h.run(get_url, { url: `file://${dir}/src.txt`, dest: `${dir}/copy.txt`, mode: '0600' });
    expect(r1).toMatchObject({ changed: true, mode: '0600' });
    const r2 = await h.run(get_url, { url: `file://${dir}/src.txt`, dest: `${dir}/copy.txt`, mode: '0600', force: true });
    expect(r2).toMatchObject({ changed: false, checksum_dest: r1.checksum_src });
    expect((await stat(`${dir}/copy.txt`)).mode & 0o777).toBe(0o600);
  });

  it('checksum from a checksum-file URL picks the line for the file name', async () => {
    await writeFile(`${dir}/SUMS`, `${sha256('other')}  other.txt\n${sha256('hello\n')} *src.txt\n`);
    const h = harness();
    const r = await h.run(get_url, { url: `file://${dir}/src.txt`, dest: `${dir}/o.txt`, checksum: `sha256:file://${dir}/SUMS` });
    expect(r.changed).toBe(true);
    const again = await tripsOf(h, get_url, { url: `file://${dir}/src.txt`, dest: `${dir}/o.txt`, checksum: `sha256:file://${dir}/SUMS` });
    expect([again.result.changed, again.trips]).toEqual([false, 1]);
  });

  it('check mode reports the download and writes nothing', async () => {
    const r = await harness().run(get_url, { url: `file://${dir}/src.txt`, dest: `${dir}/c.txt` }, { check: true });
    expect(r.changed).toBe(true);
    expect(await readdir(dir)).toEqual(['src.txt']);
  });

  it('a missing source fails with "Request failed"', async () => {
    const r = await harness().run(get_url, { url: `file://${dir}/nope`, dest: `${dir}/n.txt` });
    expect(r).toMatchObject({ failed: true, msg: 'Request failed' });
    expect(await readdir(dir)).toEqual(['src.txt']);
  });
});

describe('get_url helpers', () => {
  it.each([
    ['sha256:ABCD', { kind: 'value', algorithm: 'sha256', value: 'abcd' }],
    ['sha512:http://m/x.sha512', { kind: 'url', algorithm: 'sha512', url: 'http://m/x.sha512' }],
    ['md4:abcd', 'Unsupported hash algorithm: md4'],
    ['abcd', 'The checksum parameter has to be in format <algorithm>:<checksum>'],
  ])('parses checksum %s', (arg, want) => expect(parseChecksumArg(arg)).toEqual(want));

  it.each([
    ['http://h/a/b/etcd.tar.gz?x=1', 'etcd.tar.gz'],
    ['http://h/', 'index.html'],
  ])('url filename of %s', (u, want) => expect(urlFilename(u)).toBe(want));

  it('a single bare digest is used for any file', () => expect(digestFromLines('ABC123\n', 'x')).toBe('abc123'));

  it('puts credentials in the stdin config, never in argv', () => {
    const cfg = curlConfig({ url: 'https://h/x', headers: { A: 'b"c' }, timeoutSec: 5, validateCerts: false, username: 'u', password: 'p"w', forceBasicAuth: true, followRedirects: 'safe', userAgent: 'ansible-httpget', useProxy: true, decompress: false });
    expect(cfg).toContain('user = "u:p\\"w"');
    expect(cfg).toContain('header = "A: b\\"c"');
    expect(cfg).toContain('insecure');
  });

  it('rejects unknown arguments', () => {
    expect(validArgs(get_url, { url: 'x', dest: 'y', bogus: 1 })).toBe(false);
    expect(validArgs(get_url, { url: 'x' })).toBe(false);
  });
});
