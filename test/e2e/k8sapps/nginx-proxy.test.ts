import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCluster, type Rendered } from '../../unit/manifests/render.js';

// The nginx.conf that the nodes' nginx-proxy static pod mounts, run by a real nginx (Debian's
// build, downloaded with apt-get download and never installed) on loopback: two stand-in API
// servers (plain TCP, answering their name) on 127.0.0.1 and 127.0.0.2 as control planes.
const CACHE = '/var/cache/tsplay/nginx-proxy';
const PKGS = ['nginx', 'libnginx-mod-stream'];
const API_PORT = 16443;
const LB_PORT = 16444;
const HEALTH_PORT = 16445;
let work: string;
let r: Rendered;
let nginx: ChildProcess | undefined;
const apiservers: Server[] = [];

function nginxTree(): string {
  mkdirSync(CACHE, { recursive: true });
  const have = (p: string) => readdirSync(CACHE).some((f) => f.startsWith(`${p}_`) && f.endsWith('.deb'));
  const missing = PKGS.filter((p) => !have(p));
  if (missing.length > 0) execFileSync('apt-get', ['download', '-q', ...missing], { cwd: CACHE, stdio: 'pipe' });
  const root = join(work, 'nginx-root');
  for (const p of PKGS) {
    const deb = readdirSync(CACHE).filter((f) => f.startsWith(`${p}_`) && f.endsWith('.deb')).sort().pop()!;
    execFileSync('dpkg-deb', ['-x', join(CACHE, deb), root]);
  }
  return root;
}

/**
 * Debian's nginx loads stream as a module and keeps its temp folders and access log under
 * /var: a wrapper loads the module and includes the rendered file untouched except for those
 * paths, added to its http block (the nginx image logs to stdout and has no such folders).
 */
function wrapperConfig(root: string, conf: string): string {
  const temp = join(work, 'nginx-temp');
  mkdirSync(temp, { recursive: true });
  const paths = [...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((p) => `  ${p}_temp_path ${temp}/${p};`), `  access_log ${temp}/access.log;`].join('\n');
  writeFileSync(join(work, 'nginx.conf'), conf.replace(/^http \{$/m, `http {\n${paths}`));
  const wrapper = join(work, 'wrapper.conf');
  writeFileSync(wrapper, `load_module ${root}/usr/lib/nginx/modules/ngx_stream_module.so;\ninclude ${join(work, 'nginx.conf')};\n`);
  return wrapper;
}

function ask(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write('who\n'));
    let data = '';
    s.on('data', (d) => { data += d.toString(); s.end(); });
    s.on('close', () => resolve(data));
    s.on('error', reject);
  });
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`timed out: ${what}`);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-nginx-proxy-'));
  r = await renderCluster({
    controlPlanes: { cp1: '127.0.0.1', cp2: '127.0.0.2' }, nodes: { w1: '10.90.0.21' },
    vars: { kube_apiserver_port: API_PORT, loadbalancer_apiserver_port: LB_PORT, loadbalancer_apiserver_healthcheck_port: HEALTH_PORT },
  });
  for (const [name, host] of [['cp1', '127.0.0.1'], ['cp2', '127.0.0.2']]) {
    const s = createServer((c) => c.once('data', () => c.end(`${name}\n`)));
    await new Promise<void>((done) => s.listen(API_PORT, host, done));
    apiservers.push(s);
  }
}, 300_000);

afterAll(() => {
  if (nginx?.pid) nginx.kill('SIGTERM');
  for (const s of apiservers) s.close();
  r?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('nginx-proxy configuration in a real nginx', () => {
  it('nginx accepts the rendered configuration', () => {
    expect(r.code, r.out).toBe(0);
    const root = nginxTree();
    const wrapper = wrapperConfig(root, r.text('w1', '/etc/nginx/nginx.conf'));
    const t = spawnSync(join(root, 'usr/sbin/nginx'), ['-t', '-c', wrapper, '-p', work, '-g', `pid ${work}/nginx.pid;`], { encoding: 'utf8' });
    expect(t.stderr).toContain('test is successful');
    expect(t.status).toBe(0);
  }, 300_000);

  it('forwards 127.0.0.1:loadbalancer_apiserver_port to both API servers and answers /healthz', async () => {
    const root = join(work, 'nginx-root');
    expect(existsSync(join(root, 'usr/sbin/nginx'))).toBe(true);
    nginx = spawn(join(root, 'usr/sbin/nginx'), ['-c', join(work, 'wrapper.conf'), '-p', work, '-g', `daemon off; pid ${work}/nginx.pid;`], { stdio: 'ignore' });
    await until(async () => (await fetch(`http://127.0.0.1:${HEALTH_PORT}/healthz`)).status === 200, 'nginx /healthz');
    const answers = new Set<string>();
    for (let i = 0; i < 8; i++) answers.add((await ask(LB_PORT)).trim());
    expect([...answers].sort()).toEqual(['cp1', 'cp2']);
    apiservers[0]!.close();
    await new Promise((done) => setTimeout(done, 50));
    for (let i = 0; i < 4; i++) expect((await ask(LB_PORT)).trim()).toBe('cp2');
  }, 60_000);
});
