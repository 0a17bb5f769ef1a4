import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kube_pki } from '../../../engine/modules/kube_pki.js';
import { ModuleArgValidator } from '../../../engine/modules/validate.js';
import { CountingConnection, hostDirs, openssl, runKubePki, tempDir } from './helpers.js';

/** kube_pki: plan from one read, write only what is missing or invalid, never a CA, external-CA mode. */
const tmp = tempDir('tsplay-pki-mod-');
afterAll(() => tmp.cleanup());

const CPS = [{ name: 'cp1', ip: '10.88.0.11' }, { name: 'cp2', ip: '10.88.0.12' }];
function args(host: string, ip: string, store = 'store', extra: Record<string, unknown> = {}) {
  return { ...hostDirs(join(tmp.dir, host)), node_name: host, node_ip: ip, etcd_mode: 'stacked', control_planes: CPS, store_dir: join(tmp.dir, store), ...extra };
}
const read = (host: string, rel: string): string => readFileSync(join(tmp.dir, host, rel), 'utf8');
const pkiOf = (host: string, f: string): string => join(tmp.dir, host, 'etc/kubernetes/pki', f);
const paths = (res: Readonly<Record<string, unknown>>): string[] => ((res.files ?? []) as { path: string }[]).map((f) => f.path.replace(/^.*\/etc\//, '/etc/')).sort();

describe('kube_pki module', () => {
  it('check mode on a fresh host reports the changes and writes nothing (not even the controller store)', async () => {
    const res = await runKubePki(args('cp1', '10.88.0.11'), { check: true });
    expect(res.changed).toBe(true);
    expect(paths(res)).toContain('/etc/kubernetes/pki/apiserver.crt');
    expect(paths(res)).toContain('/etc/kubernetes/admin.conf');
    expect(existsSync(join(tmp.dir, 'cp1'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'store'))).toBe(false);
  });

  it('first run writes the tree; a second run reports no change after exactly one remote command', async () => {
    expect((await runKubePki(args('cp1', '10.88.0.11'))).changed).toBe(true);
    const conn = new CountingConnection('cp1');
    const again = await runKubePki(args('cp1', '10.88.0.11'), { conn });
    expect(again).toMatchObject({ changed: false, files: [] });
    expect(conn.execs).toHaveLength(1);
  });

  it('check mode on a converged host reports no change', async () => {
    expect((await runKubePki(args('cp1', '10.88.0.11'), { check: true })).changed).toBe(false);
  });

  it('a second control plane receives the same CAs and SA key from the store, with its own leaves', async () => {
    expect((await runKubePki(args('cp2', '10.88.0.12'), { host: 'cp2' })).changed).toBe(true);
    for (const f of ['ca.crt', 'ca.key', 'front-proxy-ca.crt', 'etcd/ca.crt', 'sa.key', 'sa.pub']) expect(read('cp2', `etc/kubernetes/pki/${f}`)).toBe(read('cp1', `etc/kubernetes/pki/${f}`));
    expect(read('cp2', 'etc/kubernetes/pki/apiserver.crt')).not.toBe(read('cp1', 'etc/kubernetes/pki/apiserver.crt'));
    expect(openssl(['verify', '-CAfile', pkiOf('cp1', 'ca.crt'), pkiOf('cp2', 'apiserver.crt')])).toContain(': OK');
  });

  it('new SANs reissue only the apiserver certificate; CAs and other leaves stay byte-identical', async () => {
    const before = { ca: read('cp1', 'etc/kubernetes/pki/ca.crt'), fp: read('cp1', 'etc/kubernetes/pki/front-proxy-client.crt'), api: read('cp1', 'etc/kubernetes/pki/apiserver.crt') };
    const res = await runKubePki(args('cp1', '10.88.0.11', 'store', { cert_sans: ['api.example.com'] }));
    expect(paths(res)).toEqual(['/etc/kubernetes/pki/apiserver.crt', '/etc/kubernetes/pki/apiserver.key']);
    expect((res.files as { reason: string }[])[0]?.reason).toBe('reissued: SANs no longer match');
    expect(openssl(['x509', '-in', pkiOf('cp1', 'apiserver.crt'), '-noout', '-ext', 'subjectAltName'])).toContain('DNS:api.example.com');
    expect(read('cp1', 'etc/kubernetes/pki/ca.crt')).toBe(before.ca);
    expect(read('cp1', 'etc/kubernetes/pki/front-proxy-client.crt')).toBe(before.fp);
    expect(read('cp1', 'etc/kubernetes/pki/apiserver.crt')).not.toBe(before.api);
    expect((await runKubePki(args('cp1', '10.88.0.11', 'store', { cert_sans: ['api.example.com'] }))).changed).toBe(false);
  });

  it('a private key with a loose mode is fixed to 0600 without reissuing', async () => {
    chmodSync(pkiOf('cp1', 'apiserver-kubelet-client.key'), 0o644);
    const cert = read('cp1', 'etc/kubernetes/pki/apiserver-kubelet-client.crt');
    const res = await runKubePki(args('cp1', '10.88.0.11', 'store', { cert_sans: ['api.example.com'] }));
    expect(res.files).toEqual([{ path: pkiOf('cp1', 'apiserver-kubelet-client.key'), reason: 'mode 644 -> 600' }]);
    expect(statSync(pkiOf('cp1', 'apiserver-kubelet-client.key')).mode & 0o777).toBe(0o600);
    expect(read('cp1', 'etc/kubernetes/pki/apiserver-kubelet-client.crt')).toBe(cert);
  });

  it('a host CA that differs from the store is kept, and leaves are re-signed by the host CA', async () => {
    await runKubePki(args('cp3', '10.88.0.13', 'store-other'), { host: 'cp3' });
    const hostCa = read('cp3', 'etc/kubernetes/pki/ca.crt');
    const res = await runKubePki(args('cp3', '10.88.0.13', 'store', { cert_sans: ['api.example.com'] }), { host: 'cp3' });
    expect(read('cp3', 'etc/kubernetes/pki/ca.crt')).toBe(hostCa);
    expect(paths(res)).toContain('/etc/kubernetes/pki/apiserver.crt');
    expect(openssl(['verify', '-CAfile', pkiOf('cp3', 'ca.crt'), pkiOf('cp3', 'apiserver.crt')])).toContain(': OK');
  });

  it('an unreadable CA certificate is never overwritten: the module fails and writes nothing', async () => {
    writeFileSync(pkiOf('cp3', 'front-proxy-ca.crt'), 'garbage\n');
    const before = readdirSync(join(tmp.dir, 'cp3/etc/kubernetes/pki')).length;
    const res = await runKubePki(args('cp3', '10.88.0.13', 'store'), { host: 'cp3' });
    expect(res).toMatchObject({ failed: true, changed: false });
    expect(res.msg).toMatch(/front-proxy-ca: .*front-proxy-ca\.crt is not a readable CA certificate; tsplay never overwrites a CA/);
    expect(read('cp3', 'etc/kubernetes/pki/front-proxy-ca.crt')).toBe('garbage\n');
    expect(readdirSync(join(tmp.dir, 'cp3/etc/kubernetes/pki'))).toHaveLength(before);
  });

  it('external CA (ca.crt without ca.key): existing leaves are kept, a missing one is refused with a clear message', async () => {
    await runKubePki(args('ext', '10.88.0.14', 'store-ext'), { host: 'ext' });
    rmSync(pkiOf('ext', 'ca.key'));
    const kept = await runKubePki(args('ext', '10.88.0.14', 'store'), { host: 'ext' });
    expect(kept).toMatchObject({ changed: false });
    expect(existsSync(pkiOf('ext', 'ca.key'))).toBe(false);
    rmSync(pkiOf('ext', 'apiserver.crt'));
    const refused = await runKubePki(args('ext', '10.88.0.14', 'store'), { host: 'ext' });
    expect(refused).toMatchObject({ failed: true, changed: false });
    expect(refused.msg).toContain('apiserver: missing, but ca is external (its certificate is present without its key), so tsplay will not sign a new one');
    expect(existsSync(pkiOf('ext', 'apiserver.crt'))).toBe(false);
  });

  it('an empty store is seeded from the CAs of an existing host instead of minting new ones', async () => {
    await runKubePki(args('seed', '10.88.0.15', 'store-seed-a'), { host: 'seed' });
    const res = await runKubePki(args('seed', '10.88.0.15', 'store-seed-b'), { host: 'seed' });
    expect(res.changed).toBe(false);
    expect(readFileSync(join(tmp.dir, 'store-seed-b/ca/ca.crt'), 'utf8')).toBe(read('seed', 'etc/kubernetes/pki/ca.crt'));
    expect(readFileSync(join(tmp.dir, 'store-seed-b/sa/sa.key'), 'utf8')).toBe(read('seed', 'etc/kubernetes/pki/sa.key'));
  });
});

describe('kube_pki argument schema (ajv)', () => {
  const validator = new ModuleArgValidator();
  it('accepts the documented arguments', () => {
    expect(() => validator.check(kube_pki, args('cp1', '10.88.0.11', 'store', { cert_sans: ['a'], apiserver_port: 6443, control_plane: 'yes' }))).not.toThrow();
  });
  it.each([
    ['an unknown argument', { node_ip: '1.2.3.4', colour: 'red' }, /Unsupported parameters for \(kube_pki\) module: colour/],
    ['a bad etcd_mode', { node_ip: '1.2.3.4', etcd_mode: 'pod' }, /etcd_mode must be one of: stacked, host, external/],
    ['a missing node_ip', {}, /missing required arguments: node_ip/],
    ['a malformed control plane entry', { node_ip: '1.2.3.4', control_planes: [{ name: 'x' }] }, /ip/],
  ])('rejects %s', (_n, bad, msg) => {
    expect(() => validator.check(kube_pki, bad)).toThrow(msg);
  });
});

describe('kube_pki on parallel hosts (forks)', () => {
  it('three hosts racing on an empty store all end up with the same CAs and SA key', async () => {
    const hosts = ['p1', 'p2', 'p3'];
    const results = await Promise.all(hosts.map((h, i) => runKubePki(args(h, `10.88.1.${i + 1}`, 'store-race'), { host: h })));
    expect(results.map((r) => r.changed)).toEqual([true, true, true]);
    for (const f of ['ca.crt', 'front-proxy-ca.crt', 'etcd/ca.crt', 'sa.key']) {
      const store = readFileSync(join(tmp.dir, 'store-race', f === 'sa.key' ? 'sa/sa.key' : f === 'etcd/ca.crt' ? 'etcd-ca/ca.crt' : `${f.replace('.crt', '')}/ca.crt`), 'utf8');
      for (const h of hosts) expect(read(h, `etc/kubernetes/pki/${f}`), `${h} ${f}`).toBe(store);
    }
    expect(readdirSync(join(tmp.dir, 'store-race')).sort()).toEqual(['ca', 'etcd-ca', 'front-proxy-ca', 'sa']);
  });
});

describe("Kubespray's host etcd layout", () => {
  const MEMBERS = [{ name: 'etcd1', ip: '10.88.0.21' }, { name: 'etcd2', ip: '10.88.0.22' }];
  const hostArgs = (name: string, ip: string, controlPlane: boolean) => ({
    ...hostDirs(join(tmp.dir, 'h', name)), node_name: name, node_ip: ip, etcd_mode: 'host', control_plane: controlPlane, etcd_member: !controlPlane,
    control_planes: [{ name: 'hcp1', ip: '10.88.0.31' }], etcd_members: MEMBERS, etcd_cert_alt_names: ['etcd.kube-system.svc'], store_dir: join(tmp.dir, 'store-h'),
  });
  const ssl = (host: string, f: string) => join(tmp.dir, 'h', host, 'etc/ssl/etcd/ssl', f);

  it('an etcd member gets ca.pem, ca-key.pem, member- and admin- certs with every member in the SANs', async () => {
    expect((await runKubePki(hostArgs('etcd1', '10.88.0.21', false), { host: 'etcd1' })).changed).toBe(true);
    expect(readdirSync(join(tmp.dir, 'h/etcd1/etc/ssl/etcd/ssl')).sort()).toEqual(['admin-etcd1-key.pem', 'admin-etcd1.pem', 'ca-key.pem', 'ca.pem', 'member-etcd1-key.pem', 'member-etcd1.pem']);
    expect(existsSync(join(tmp.dir, 'h/etcd1/etc/kubernetes'))).toBe(false);
    for (const kind of ['member', 'admin']) {
      expect(openssl(['verify', '-CAfile', ssl('etcd1', 'ca.pem'), ssl('etcd1', `${kind}-etcd1.pem`)])).toContain(': OK');
      const text = openssl(['x509', '-in', ssl('etcd1', `${kind}-etcd1.pem`), '-noout', '-subject', '-ext', 'subjectAltName,extendedKeyUsage']);
      expect(text).toContain(`subject=CN = etcd-${kind}-etcd1`);
      expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
      for (const san of ['DNS:localhost', 'DNS:etcd1', 'DNS:etcd2', 'DNS:etcd.kube-system.svc', 'IP Address:127.0.0.1', 'IP Address:10.88.0.21', 'IP Address:10.88.0.22']) expect(text).toContain(san);
      expect(statSync(ssl('etcd1', `${kind}-etcd1-key.pem`)).mode & 0o777).toBe(0o600);
    }
    expect((await runKubePki(hostArgs('etcd1', '10.88.0.21', false), { host: 'etcd1' })).changed).toBe(false);
  });

  it('a control plane gets ca.pem (not its key) and node-<host>, and no kubeadm etcd/ certs', async () => {
    expect((await runKubePki(hostArgs('hcp1', '10.88.0.31', true), { host: 'hcp1' })).changed).toBe(true);
    expect(readdirSync(join(tmp.dir, 'h/hcp1/etc/ssl/etcd/ssl')).sort()).toEqual(['ca.pem', 'node-hcp1-key.pem', 'node-hcp1.pem']);
    expect(readFileSync(ssl('hcp1', 'ca.pem'), 'utf8')).toBe(readFileSync(ssl('etcd1', 'ca.pem'), 'utf8'));
    expect(openssl(['verify', '-CAfile', ssl('hcp1', 'ca.pem'), ssl('hcp1', 'node-hcp1.pem')])).toContain(': OK');
    expect(existsSync(join(tmp.dir, 'h/hcp1/etc/kubernetes/pki/etcd'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'h/hcp1/etc/kubernetes/pki/apiserver-etcd-client.crt'))).toBe(false);
    expect((await runKubePki(hostArgs('hcp1', '10.88.0.31', true), { host: 'hcp1' })).changed).toBe(false);
  });
});
