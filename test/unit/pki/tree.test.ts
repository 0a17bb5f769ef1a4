import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKubeconfig } from '../../../engine/pki/kubeconfig.js';
import { hostDirs, openssl, runKubePki, tempDir } from './helpers.js';

/**
 * The kubeadm tree checked against mission.md §7 and kubeadm's certlist: every leaf verifies
 * against its CA with `openssl verify`, and subject, issuer, SANs, key usage, EKU and validity
 * are read back with `openssl x509` (not with our own parser).
 */
const tmp = tempDir('tsplay-pki-tree-');
const root = join(tmp.dir, 'cp1');
const dirs = hostDirs(root);
const pki = (f: string): string => join(dirs.cert_dir, f);

const ARGS = {
  ...dirs, node_name: 'cp1', node_ip: '10.88.0.11', etcd_mode: 'stacked',
  control_planes: [{ name: 'cp1', ip: '10.88.0.11' }, { name: 'cp2', ip: '10.88.0.12' }],
  control_plane_endpoint: 'lb.example.com:6443', service_subnet: '10.233.0.0/18', dns_domain: 'cluster.local',
  cert_sans: ['api.example.com', '192.0.2.10'], store_dir: join(tmp.dir, 'store'),
};

const CA_KU = 'Digital Signature, Key Encipherment, Certificate Sign';
const LEAF_KU = 'Digital Signature, Key Encipherment';
const SERVER = 'TLS Web Server Authentication';
const CLIENT = 'TLS Web Client Authentication';
const BOTH = `${SERVER}, ${CLIENT}`;
const APISERVER_SANS = [
  'DNS:cp1', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', 'DNS:kubernetes.default.svc.cluster.local',
  'DNS:cp2', 'DNS:lb.example.com', 'DNS:api.example.com', 'IP Address:10.233.0.1', 'IP Address:10.88.0.11', 'IP Address:10.88.0.12', 'IP Address:192.0.2.10',
];
const ETCD_SANS = ['DNS:cp1', 'DNS:localhost', 'IP Address:10.88.0.11', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1'];

interface Row { file: string; ca: string; subject: string; issuer: string; ku: string; eku?: string; sans?: string[]; days: number }
const TABLE: Row[] = [
  { file: 'ca.crt', ca: 'ca.crt', subject: 'CN = kubernetes', issuer: 'CN = kubernetes', ku: CA_KU, sans: ['DNS:kubernetes'], days: 3650 },
  { file: 'etcd/ca.crt', ca: 'etcd/ca.crt', subject: 'CN = etcd-ca', issuer: 'CN = etcd-ca', ku: CA_KU, sans: ['DNS:etcd-ca'], days: 3650 },
  { file: 'front-proxy-ca.crt', ca: 'front-proxy-ca.crt', subject: 'CN = front-proxy-ca', issuer: 'CN = front-proxy-ca', ku: CA_KU, sans: ['DNS:front-proxy-ca'], days: 3650 },
  { file: 'apiserver.crt', ca: 'ca.crt', subject: 'CN = kube-apiserver', issuer: 'CN = kubernetes', ku: LEAF_KU, eku: SERVER, sans: APISERVER_SANS, days: 365 },
  { file: 'apiserver-kubelet-client.crt', ca: 'ca.crt', subject: 'O = kubeadm:cluster-admins, CN = kube-apiserver-kubelet-client', issuer: 'CN = kubernetes', ku: LEAF_KU, eku: CLIENT, days: 365 },
  { file: 'apiserver-etcd-client.crt', ca: 'etcd/ca.crt', subject: 'CN = kube-apiserver-etcd-client', issuer: 'CN = etcd-ca', ku: LEAF_KU, eku: CLIENT, days: 365 },
  { file: 'front-proxy-client.crt', ca: 'front-proxy-ca.crt', subject: 'CN = front-proxy-client', issuer: 'CN = front-proxy-ca', ku: LEAF_KU, eku: CLIENT, days: 365 },
  { file: 'etcd/server.crt', ca: 'etcd/ca.crt', subject: 'CN = cp1', issuer: 'CN = etcd-ca', ku: LEAF_KU, eku: BOTH, sans: ETCD_SANS, days: 365 },
  { file: 'etcd/peer.crt', ca: 'etcd/ca.crt', subject: 'CN = cp1', issuer: 'CN = etcd-ca', ku: LEAF_KU, eku: BOTH, sans: ETCD_SANS, days: 365 },
  { file: 'etcd/healthcheck-client.crt', ca: 'etcd/ca.crt', subject: 'CN = kube-etcd-healthcheck-client', issuer: 'CN = etcd-ca', ku: LEAF_KU, eku: CLIENT, days: 365 },
];
const KUBECONFIGS = [
  { file: 'admin.conf', subject: 'O = kubeadm:cluster-admins, CN = kubernetes-admin', user: 'kubernetes-admin', server: 'https://lb.example.com:6443' },
  { file: 'super-admin.conf', subject: 'O = system:masters, CN = kubernetes-super-admin', user: 'kubernetes-super-admin', server: 'https://lb.example.com:6443' },
  { file: 'controller-manager.conf', subject: 'CN = system:kube-controller-manager', user: 'system:kube-controller-manager', server: 'https://10.88.0.11:6443' },
  { file: 'scheduler.conf', subject: 'CN = system:kube-scheduler', user: 'system:kube-scheduler', server: 'https://10.88.0.11:6443' },
  { file: 'kubelet.conf', subject: 'O = system:nodes, CN = system:node:cp1', user: 'system:node:cp1', server: 'https://lb.example.com:6443' },
];

/** `openssl x509 -noout ... -ext` output as a map: "subject", "issuer", "notBefore", and one entry per extension. */
function opensslFacts(certPath: string): Record<string, string> {
  const out = openssl(['x509', '-in', certPath, '-noout', '-subject', '-issuer', '-startdate', '-enddate', '-ext', 'keyUsage,extendedKeyUsage,subjectAltName,basicConstraints']);
  const facts: Record<string, string> = {};
  let ext = '';
  for (const line of out.split('\n')) {
    const kv = /^(subject|issuer|notBefore|notAfter)=(.*)$/.exec(line);
    if (kv) facts[kv[1] as string] = kv[2] as string;
    else if (/^X509v3 /.test(line)) ext = line.replace(/^X509v3 /, '').replace(/:.*$/, '');
    else if (ext && line.trim() !== '') facts[ext] = line.trim();
  }
  return facts;
}

beforeAll(async () => {
  const res = await runKubePki(ARGS);
  expect(res.failed).toBeUndefined();
  expect(res.changed).toBe(true);
});
afterAll(() => tmp.cleanup());

describe('kubeadm certificate tree matches the spec table', () => {
  it.each(TABLE)('$file: openssl verify accepts it against its CA', (row) => {
    expect(openssl(['verify', '-CAfile', pki(row.ca), pki(row.file)])).toContain(': OK');
  });

  it.each(TABLE)('$file: subject, issuer, key usage, EKU, SANs and validity', (row) => {
    const f = opensslFacts(pki(row.file));
    expect(f.subject).toBe(row.subject);
    expect(f.issuer).toBe(row.issuer);
    expect(f['Key Usage']).toBe(row.ku);
    expect(f['Basic Constraints']).toBe(row.ca === row.file ? 'CA:TRUE' : 'CA:FALSE');
    expect(f['Extended Key Usage']).toBe(row.eku);
    expect(f['Subject Alternative Name']?.split(', ').sort()).toEqual(row.sans?.slice().sort());
    const days = (Date.parse(f.notAfter as string) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(row.days - 1);
    expect(days).toBeLessThanOrEqual(row.days);
    // kubeadm backdates NotBefore by 5 minutes
    expect(Date.now() - Date.parse(f.notBefore as string)).toBeGreaterThanOrEqual(4 * 60_000);
  });

  it.each(KUBECONFIGS)('$file: embedded client cert has the kubeadm subject, clientAuth, and verifies against ca.crt', (k) => {
    const parsed = parseKubeconfig(readFileSync(join(dirs.kubeconfig_dir, k.file), 'utf8'));
    expect(parsed.server).toBe(k.server);
    expect(parsed.userName).toBe(k.user);
    expect(parsed.caPem).toBe(readFileSync(pki('ca.crt'), 'utf8'));
    const certFile = join(tmp.dir, `${k.file}.crt`);
    writeFileSync(certFile, parsed.certPem ?? '');
    expect(openssl(['verify', '-CAfile', pki('ca.crt'), certFile])).toContain(': OK');
    const f = opensslFacts(certFile);
    expect(f.subject).toBe(k.subject);
    expect(f['Extended Key Usage']).toBe(CLIENT);
    expect(statSync(join(dirs.kubeconfig_dir, k.file)).mode & 0o777).toBe(0o600);
  });

  it('private keys are 0600 and match their certificates; sa.pub is the public half of sa.key', () => {
    for (const row of TABLE) {
      const key = pki(row.file.replace(/\.crt$/, '.key'));
      expect(statSync(key).mode & 0o777, key).toBe(0o600);
      expect(openssl(['rsa', '-in', key, '-check', '-noout'])).toContain('RSA key ok');
      expect(openssl(['rsa', '-in', key, '-noout', '-text'])).toMatch(/^Private-Key: \(2048 bit, 2 primes\)\n[\s\S]*publicExponent: 65537 \(0x10001\)/);
      const certMod = openssl(['x509', '-in', pki(row.file), '-noout', '-modulus']);
      expect(openssl(['rsa', '-in', key, '-noout', '-modulus'])).toBe(certMod);
    }
    expect(statSync(pki('sa.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(pki('sa.key'), 'utf8')).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(openssl(['rsa', '-in', pki('sa.key'), '-pubout'])).toBe(readFileSync(pki('sa.pub'), 'utf8'));
  });
});
