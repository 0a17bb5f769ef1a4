import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { request, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKubeconfig } from '../../../engine/pki/kubeconfig.js';
import { hostDirs, runKubePki, tempDir } from './helpers.js';

/**
 * The kubeconfigs work: kubectl parses each one, and an https server using the apiserver
 * certificate and requiring client certificates signed by ca.crt accepts admin.conf's client
 * (connecting by the `kubernetes` SAN, so hostname verification is real) and rejects a client
 * certificate from another cluster's CA.
 */
const tmp = tempDir('tsplay-pki-kc-');
const mk = (name: string) => ({
  ...hostDirs(join(tmp.dir, name)), node_name: 'cp1', node_ip: '127.0.0.1', etcd_mode: 'external',
  control_plane_endpoint: '127.0.0.1:6443', store_dir: join(tmp.dir, `store-${name}`),
});
const ours = mk('ours');
const other = mk('other');
let server: Server;
let port = 0;

beforeAll(async () => {
  for (const args of [ours, other]) expect((await runKubePki(args)).failed).toBeUndefined();
  const pki = (f: string) => readFileSync(join(ours.cert_dir, f));
  server = createServer({ cert: pki('apiserver.crt'), key: pki('apiserver.key'), ca: pki('ca.crt'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    res.end(`${peer.subject.O}/${peer.subject.CN}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  tmp.cleanup();
});

function get(kubeconfigPath: string): Promise<string> {
  const kc = parseKubeconfig(readFileSync(kubeconfigPath, 'utf8'));
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, servername: 'kubernetes', path: '/', ca: kc.caPem, cert: kc.certPem, key: kc.keyPem, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('kubeconfigs', () => {
  it.each(['admin.conf', 'super-admin.conf', 'controller-manager.conf', 'scheduler.conf', 'kubelet.conf'])('kubectl parses %s', (file) => {
    const out = execFileSync('/usr/bin/kubectl', ['--kubeconfig', join(ours.kubeconfig_dir, file), 'config', 'view', '--raw', '-o', 'jsonpath={.current-context} {.clusters[0].cluster.server}'], { encoding: 'utf8' });
    const user = parseKubeconfig(readFileSync(join(ours.kubeconfig_dir, file), 'utf8')).userName;
    expect(out).toBe(`${user}@kubernetes https://127.0.0.1:6443`);
  });

  it('an https server with the apiserver cert requiring client certs accepts admin.conf', async () => {
    expect(await get(join(ours.kubeconfig_dir, 'admin.conf'))).toBe('kubeadm:cluster-admins/kubernetes-admin');
  });

  it('kubectl itself, with admin.conf, is accepted by that server (async exec: the server runs in this process)', async () => {
    const { stdout } = await promisify(execFile)('/usr/bin/kubectl', ['--kubeconfig', join(ours.kubeconfig_dir, 'admin.conf'), '--server', `https://127.0.0.1:${port}`, 'get', '--raw', '/healthz']);
    expect(stdout.trim()).toBe('kubeadm:cluster-admins/kubernetes-admin');
  });

  it('the same server rejects a client certificate from another CA', async () => {
    // the other cluster's kubeconfig trusts its own CA, so trust ours explicitly to isolate the client side
    const kc = parseKubeconfig(readFileSync(join(other.kubeconfig_dir, 'admin.conf'), 'utf8'));
    const ca = readFileSync(join(ours.cert_dir, 'ca.crt'), 'utf8');
    const attempt = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, servername: 'kubernetes', path: '/', ca, cert: kc.certPem, key: kc.keyPem, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(`status ${res.statusCode}`));
      });
      req.on('error', reject);
      req.end();
    });
    await expect(attempt).rejects.toThrow(/certificate|alert|socket hang up|ECONNRESET/i);
  });

  it('a client trusting only the other CA refuses our apiserver', async () => {
    await expect(get(join(other.kubeconfig_dir, 'admin.conf'))).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});
