import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorProblems } from '../../../engine/cluster/mirror-check.js';

// A real HTTP server on loopback stands in for the mirror.
const BODY = Buffer.from('release archive bytes\n');
const SHA = createHash('sha256').update(BODY).digest('hex');
let server: Server;
let base: string;
const gets: string[] = [];
let etag = '"v1"';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'GET') gets.push(req.url ?? '');
    if (req.url === '/github.com/x/etcd.tar.gz') {
      res.setHeader('ETag', etag);
      res.setHeader('Content-Length', BODY.length);
      res.end(req.method === 'HEAD' ? undefined : BODY);
    }
    else { res.statusCode = 404; res.end('not found'); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('mirror checksums from the controller', () => {
  it('accepts a file whose sha256 matches (with or without the sha256: prefix)', async () => {
    expect(await mirrorProblems([{ name: 'etcd', url: `${base}/github.com/x/etcd.tar.gz`, checksum: SHA }])).toEqual([]);
    expect(await mirrorProblems([{ name: 'etcd', url: `${base}/github.com/x/etcd.tar.gz`, checksum: `sha256:${SHA.toUpperCase()}` }])).toEqual([]);
  });

  it('names the checksum table on a mismatch', async () => {
    const [p] = await mirrorProblems([{ name: 'etcd', url: `${base}/github.com/x/etcd.tar.gz`, checksum: '0'.repeat(64) }]);
    expect(p?.subject).toBe('etcd_binary_checksums');
    expect(p?.message).toBe(`the mirror's ${base}/github.com/x/etcd.tar.gz has sha256 ${SHA}, the inventory pins ${'0'.repeat(64)}`);
  });

  it('names the URL variable when the file is missing', async () => {
    const [p] = await mirrorProblems([{ name: 'runc', url: `${base}/github.com/x/runc.amd64`, checksum: SHA }]);
    expect(p?.subject).toBe('runc_download_url');
    expect(p?.message).toContain('cannot be fetched (HTTP 404)');
  });
});

describe('the controller remembers mirror hashes by validator', () => {
  it('asks with HEAD on the next run and hashes again when the file changed', async () => {
    const cache = join(mkdtempSync(join(tmpdir(), 'tsplay-hash-cache-')), 'sums.json');
    const file = [{ name: 'etcd', url: `${base}/github.com/x/etcd.tar.gz`, checksum: SHA }];
    gets.length = 0;
    expect(await mirrorProblems(file, cache)).toEqual([]);
    expect(gets).toHaveLength(1);
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    expect(await mirrorProblems(file, cache)).toEqual([]);
    expect(gets).toHaveLength(1);
    etag = '"v2"';
    expect(await mirrorProblems(file, cache)).toEqual([]);
    expect(gets).toHaveLength(2);
  });
});
