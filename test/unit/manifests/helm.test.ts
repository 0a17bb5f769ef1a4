import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCluster } from './render.js';

/**
 * helm_enabled: the archive comes from files_repo/get.helm.sh (a loopback HTTP server here,
 * serving an archive laid out like helm's release), checked against the pinned sha256, and
 * its `helm` lands in bin_dir of every control plane; a second run fetches nothing.
 */
const VERSION = 'v3.99.0';
let archive: Buffer;
let server: Server;
let base: string;
const requests: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'tsplay-helm-'));

beforeAll(async () => {
  const tree = join(work, 'tree', 'linux-amd64');
  mkdirSync(tree, { recursive: true });
  writeFileSync(join(tree, 'helm'), `#!/bin/sh\necho 'version.BuildInfo{Version:"${VERSION}"}'\n`, { mode: 0o755 });
  writeFileSync(join(tree, 'LICENSE'), 'Apache-2.0\n');
  execFileSync('tar', ['-czf', join(work, 'helm.tgz'), '-C', join(work, 'tree'), 'linux-amd64']);
  archive = readFileSync(join(work, 'helm.tgz'));
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === `/get.helm.sh/helm-${VERSION}-linux-amd64.tar.gz`) res.end(archive);
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const vars = (checksum: string) => ({
  files_repo: base, helm_enabled: true, download_retries: 0, helm_archive_checksums: { amd64: { [VERSION]: checksum } },
});

describe('helm from the file mirror', () => {
  it('installs helm on every control plane, only there, and a second run fetches nothing', async () => {
    const r = await renderCluster({ controlPlanes: { cp1: '10.70.0.11', cp2: '10.70.0.12' }, nodes: { w1: '10.70.0.21' }, vars: vars(sha256(archive)) });
    try {
      expect(r.code, r.out).toBe(0);
      for (const cp of ['cp1', 'cp2']) {
        const helm = join(r.hostsDir, cp, 'usr/local/bin/helm');
        expect(statSync(helm).mode & 0o111).not.toBe(0);
        expect(execFileSync(helm, ['version'], { encoding: 'utf8' })).toContain(`Version:"${VERSION}"`);
        expect(r.exists(cp, '/usr/local/bin/LICENSE')).toBe(false);
      }
      expect(r.exists('w1', '/usr/local/bin/helm')).toBe(false);
      expect(requests.filter((u) => u.includes('helm-'))).toHaveLength(2);
      const again = await r.again();
      expect(again.code, again.out).toBe(0);
      expect(requests.filter((u) => u.includes('helm-'))).toHaveLength(2);
      expect(again.out).toMatch(/cp1\s+: ok=\d+\s+changed=0 /);
    } finally {
      r.cleanup();
    }
  }, 120_000);

  it('refuses an archive whose sha256 is not the pinned one and installs nothing', async () => {
    const r = await renderCluster({ controlPlanes: { cp1: '10.70.0.11' }, nodes: {}, vars: vars('0'.repeat(64)) });
    try {
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(/fatal: \[cp1\].*checksum/i);
      expect(r.exists('cp1', '/usr/local/bin/helm')).toBe(false);
    } finally {
      r.cleanup();
    }
  }, 120_000);
});
