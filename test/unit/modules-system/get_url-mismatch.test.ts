import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { get_url } from '../../../engine/modules/get_url.js';
import { harness, tempDir } from '../modules/context.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

// A real HTTP server on loopback that answers 304 to any If-Modified-Since, like nginx does
// for a dest newer than the file: a checksum mismatch must not be hidden behind that 304.
let server: Server;
let base: string;
const seen: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers['if-modified-since']);
    if (req.headers['if-modified-since']) { res.statusCode = 304; res.end(); return; }
    res.setHeader('Last-Modified', new Date(0).toUTCString());
    res.end('served\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('get_url over http with an existing dest that does not match the checksum', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    seen.length = 0;
  });
  afterEach(() => cleanup());

  it('downloads again without If-Modified-Since and fails on a mismatch, keeping the old file and no temp file', async () => {
    await writeFile(`${dir}/dest`, 'old\n');
    const r = await harness().run(get_url, { url: `${base}/f`, dest: `${dir}/dest`, checksum: `sha256:${sha256('pinned\n')}` });
    expect(seen).toEqual([undefined]);
    expect(r.failed).toBe(true);
    expect(r.msg).toBe(`The checksum for ${dir}/dest did not match ${sha256('pinned\n')}; it was ${sha256('served\n')}.`);
    expect(await readFile(`${dir}/dest`, 'utf8')).toBe('old\n');
    expect(await readdir(dir)).toEqual(['dest']);
  });

  it('replaces a stale dest when the served file matches the checksum', async () => {
    await writeFile(`${dir}/dest`, 'old\n');
    const r = await harness().run(get_url, { url: `${base}/f`, dest: `${dir}/dest`, checksum: `sha256:${sha256('served\n')}` });
    expect(r).toMatchObject({ changed: true });
    expect(await readFile(`${dir}/dest`, 'utf8')).toBe('served\n');
  });

  it('still asks If-Modified-Since when no checksum is given', async () => {
    await writeFile(`${dir}/dest`, 'old\n');
    const r = await harness().run(get_url, { url: `${base}/f`, dest: `${dir}/dest` });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeDefined();
    expect(r).toMatchObject({ changed: false, msg: 'Not Modified' });
  });
});
