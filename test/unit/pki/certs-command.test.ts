import { readFileSync, rmSync, mkdirSync, writeFileSync, utimesSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExpiration, renewCerts } from '../../../engine/pki/certs-command.js';
import { parseKubeconfig } from '../../../engine/pki/kubeconfig.js';
import { LocalConnection } from '../../../engine/transport/local.js';
import { openssl, tempDir, writeTreeAt } from './helpers.js';

const tmp = tempDir('tsplay-pki-cmd-');
afterAll(() => tmp.cleanup());
const FIXTURE = readFileSync(join(import.meta.dirname, '../../fixtures/pki/check-expiration.kubeadm.txt'), 'utf8');
const GENERATED = new Date('2025-08-19T09:03:00Z');
const SEEN = new Date('2025-08-24T09:03:00Z');
const target = (host: string) => [{ host, conn: new LocalConnection(host) }];

describe('certs check-expiration', () => {
  let fresh: { certDir: string; kubeconfigDir: string };
  let expired: { certDir: string; kubeconfigDir: string };
  beforeAll(async () => {
    [fresh, expired] = await Promise.all([writeTreeAt(join(tmp.dir, 'fresh'), GENERATED), writeTreeAt(join(tmp.dir, 'expired'), new Date('2020-01-01T00:00:00Z'))]);
  });

  it("prints kubeadm's two tables byte for byte (fixture) and exits 0", async () => {
    const out = await checkExpiration(target('cp1'), { ...fresh, now: SEEN });
    expect(out.text).toBe(`[check-expiration] cp1\n\n${FIXTURE}`);
    expect(out.exitCode).toBe(0);
  });

  it('warns about certificates expiring within warnDays, still exit 0', async () => {
    const out = await checkExpiration(target('cp1'), { ...fresh, now: new Date('2026-08-01T09:03:00Z'), warnDays: 30 });
    expect(out.exitCode).toBe(0);
    expect(out.text).toContain('[check-expiration] WARNING: cp1: apiserver expires in 18d (Aug 19, 2026 09:03 UTC)');
    expect(out.text.match(/WARNING/g)).toHaveLength(11);
    const quiet = await checkExpiration(target('cp1'), { ...fresh, now: new Date('2026-08-01T09:03:00Z'), warnDays: 10 });
    expect(quiet.text).not.toContain('WARNING');
  });

  it('an expired-certificate fixture makes it exit non-zero and shows <invalid>', async () => {
    const out = await checkExpiration(target('old'), { ...expired, now: new Date('2025-01-01T00:00:00Z') });
    expect(out.exitCode).toBe(1);
    expect(out.text).toMatch(/^apiserver {18}Dec 31, 2020 00:00 UTC {3}<invalid> {7}ca {22}no {6}$/m);
    expect(out.text).toContain('[check-expiration] ERROR: old: apiserver expired on Dec 31, 2020 00:00 UTC');
  });

  it('marks a CA without its key, and what it signed, as externally managed; a missing kubeconfig as !MISSING!', async () => {
    const root = await writeTreeAt(join(tmp.dir, 'ext'), GENERATED);
    rmSync(join(root.certDir, 'front-proxy-ca.key'));
    rmSync(join(root.kubeconfigDir, 'super-admin.conf'));
    const out = await checkExpiration(target('ext'), { ...root, now: SEEN });
    const lines = out.text.split('\n');
    expect(lines).toContain('front-proxy-client           Aug 19, 2026 09:03 UTC   360d            front-proxy-ca          yes     ');
    expect(lines).toContain('front-proxy-ca          Aug 17, 2035 09:03 UTC   9y              yes     ');
    // the !MISSING! cell widens the first column for the whole table, like Go's tabwriter
    expect(lines).toContain(`!MISSING! super-admin.conf${' '.repeat(3 + 25 + 16 + 24)}`); // 29 - 26, then the widths of columns 1-3
    expect(lines).toContain('admin.conf                   Aug 19, 2026 09:03 UTC   360d            ca                      no      ');
  });

  it('an unreachable cert dir on one host fails that host only', async () => {
    const out = await checkExpiration([...target('cp1'), { host: 'bad', conn: { ...new LocalConnection('bad'), hostName: 'bad', exec: async () => ({ rc: 2, stdout: '', stderr: 'boom' }) } as never }], { ...fresh, now: SEEN });
    expect(out.exitCode).toBe(1);
    expect(out.text).toContain('[check-expiration] bad: cannot read certificates');
    expect(out.text).toContain(FIXTURE);
  });
});

describe('certs renew', () => {
  let root: { certDir: string; kubeconfigDir: string };
  const manifests = join(tmp.dir, 'renew/manifests');
  const subjectAndSans = (f: string) => openssl(['x509', '-in', f, '-noout', '-subject', '-ext', 'subjectAltName,extendedKeyUsage']);
  const endDate = (f: string) => Date.parse(openssl(['x509', '-in', f, '-noout', '-enddate']).replace('notAfter=', ''));

  beforeAll(async () => {
    root = await writeTreeAt(join(tmp.dir, 'renew'), new Date(Date.now() - 300 * 86_400_000));
    mkdirSync(manifests, { recursive: true });
    for (const m of ['kube-apiserver', 'kube-scheduler', 'etcd']) {
      writeFileSync(join(manifests, `${m}.yaml`), 'kind: Pod\n');
      utimesSync(join(manifests, `${m}.yaml`), new Date('2020-01-01'), new Date('2020-01-01'));
    }
  });

  it('renew all extends every leaf and kubeconfig, keeps subjects and SANs, never touches CAs, touches manifests', async () => {
    const leaves = ['apiserver.crt', 'etcd/server.crt', 'etcd/peer.crt', 'front-proxy-client.crt'].map((f) => join(root.certDir, f));
    const before = leaves.map((f) => ({ id: subjectAndSans(f), end: endDate(f) }));
    const ca = readFileSync(join(root.certDir, 'ca.crt'), 'utf8');
    const kubelet = readFileSync(join(root.kubeconfigDir, 'kubelet.conf'), 'utf8');
    const out = await renewCerts(target('cp1'), 'all', { ...root, manifestsDir: manifests, restartEtcd: false });
    expect(out.exitCode).toBe(0);
    for (const n of ['admin.conf', 'apiserver', 'apiserver-etcd-client', 'apiserver-kubelet-client', 'controller-manager.conf', 'etcd-healthcheck-client', 'etcd-peer', 'etcd-server', 'front-proxy-client', 'scheduler.conf', 'super-admin.conf']) {
      expect(out.text).toContain(`${n} renewed\n`);
    }
    leaves.forEach((f, i) => {
      expect(subjectAndSans(f)).toBe(before[i]?.id);
      expect(endDate(f)).toBeGreaterThan((before[i]?.end ?? 0) + 250 * 86_400_000);
      expect(openssl(['verify', '-CAfile', join(root.certDir, f.includes('/etcd/') ? 'etcd/ca.crt' : f.includes('front-proxy') ? 'front-proxy-ca.crt' : 'ca.crt'), f])).toContain(': OK');
    });
    expect(readFileSync(join(root.certDir, 'ca.crt'), 'utf8')).toBe(ca);
    expect(readFileSync(join(root.kubeconfigDir, 'kubelet.conf'), 'utf8')).toBe(kubelet);
    const admin = parseKubeconfig(readFileSync(join(root.kubeconfigDir, 'admin.conf'), 'utf8'));
    expect(admin.server).toBe('https://cp1.example:6443');
    writeFileSync(join(tmp.dir, 'admin.crt'), admin.certPem ?? '');
    expect(subjectAndSans(join(tmp.dir, 'admin.crt'))).toContain('subject=O = kubeadm:cluster-admins, CN = kubernetes-admin');
    expect(statSync(join(manifests, 'kube-apiserver.yaml')).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    expect(statSync(join(manifests, 'etcd.yaml')).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    expect(out.text).toContain(`touched ${manifests}/kube-scheduler.yaml`);
    const check = await checkExpiration(target('cp1'), root);
    expect(check.text).toMatch(/^apiserver {18}\w{3} \d\d, \d{4} \d\d:\d\d UTC {3}364d /m);
  });

  it('renew NAME renews only that certificate', async () => {
    const fp = readFileSync(join(root.certDir, 'front-proxy-client.crt'), 'utf8');
    const api = readFileSync(join(root.certDir, 'apiserver.crt'), 'utf8');
    const out = await renewCerts(target('cp1'), 'apiserver', { ...root, manifestsDir: manifests, restartEtcd: false });
    expect(out.text.split('\n').filter((l) => l.endsWith('renewed'))).toEqual(['apiserver renewed']);
    expect(readFileSync(join(root.certDir, 'apiserver.crt'), 'utf8')).not.toBe(api);
    expect(readFileSync(join(root.certDir, 'front-proxy-client.crt'), 'utf8')).toBe(fp);
  });

  it.each([
    ['ca', /ca is a CA: certificate authorities are never renewed/],
    ['etcd-ca', /etcd-ca is a CA/],
    ['nope', /unknown certificate "nope"; valid: all, admin.conf, apiserver/],
  ])('renew %s is refused with exit 1', async (name, msg) => {
    const out = await renewCerts(target('cp1'), name, root);
    expect(out.exitCode).toBe(1);
    expect(out.text).toMatch(msg);
  });

  it("a CA without its key cannot renew what it signed (kubeadm's external CA message)", async () => {
    rmSync(join(root.certDir, 'front-proxy-ca.key'));
    const fp = readFileSync(join(root.certDir, 'front-proxy-client.crt'), 'utf8');
    const out = await renewCerts(target('cp1'), 'front-proxy-client', { ...root, manifestsDir: manifests, restartEtcd: false });
    expect(out.text).toContain("Detected external front-proxy-ca, front-proxy-client can't be renewed");
    expect(readFileSync(join(root.certDir, 'front-proxy-client.crt'), 'utf8')).toBe(fp);
  });
});
