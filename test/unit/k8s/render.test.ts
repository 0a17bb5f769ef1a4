import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KubeConfigChecker } from '../../../engine/cluster/schemas/index.js';
import { x509Filters } from '../../../engine/template/filters/x509.js';

// Every configuration the roles render (kubeadm Init/Cluster/Join, KubeProxy, Kubelet), for
// several kube_versions and inventories, through tsplay itself (the roles' defaults and
// templates, test/fixtures/k8s-render/render.yml on local hosts), checked against the strict
// schemas kubeadm's decoding implies and against the inventory (CIDRs, addresses, mirror).
const ROOT = join(import.meta.dirname, '..', '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'k8s-render');
const checker = new KubeConfigChecker();
type Doc = Record<string, any>;

function render(vars: string): { out: string; files: (host: string, name: string) => Doc[] } {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-k8s-render-'));
  cpSync(join(FIXTURE, 'inv'), join(dir, 'inv'), { recursive: true });
  writeFileSync(join(dir, 'inv', 'group_vars', 'all', 'case.yml'), vars);
  const out = join(dir, 'out');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tsplay.js'), join(FIXTURE, 'render.yml'), '-i', join(dir, 'inv', 'inventory.ini'), '-e', `out_dir=${out}`],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ANSIBLE_CONFIG: join(ROOT, 'ansible.cfg') } });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return {
    out,
    files: (host, name) => {
      const text = readFileSync(join(out, host, name), 'utf8');
      expect(checker.checkText(text), `${host}/${name}`).toEqual([]);
      return parseAllDocuments(text).map((d) => (Array.isArray(d) ? {} : d.toJS()) as Doc);
    },
  };
}

const byKind = (docs: Doc[], kind: string): Doc => docs.find((d) => d.kind === kind)!;
const args = (v: unknown): Record<string, string> => (Array.isArray(v) ? Object.fromEntries(v.map((a: Doc) => [a.name, a.value])) : (v as Record<string, string>));
const IPS: Record<string, string> = { cp1: '10.0.0.11', cp2: '10.0.0.12', cp3: '10.0.0.13', w1: '10.0.0.21' };

const CASES = [
  { name: 'v1.34 defaults (v1beta4)', vars: 'kube_version: v1.34.4\n', api: 'v1beta4', pods: '10.233.64.0/18', services: '10.233.0.0/18', dns: '10.233.0.3', endpoint: '10.0.0.11:6443' },
  { name: 'v1.30 (v1beta3, extraArgs as maps)', vars: 'kube_version: v1.30.4\n', api: 'v1beta3', pods: '10.233.64.0/18', services: '10.233.0.0/18', dns: '10.233.0.3', endpoint: '10.0.0.11:6443' },
  {
    name: 'v1.33, kubeadm-style CIDRs, extra args and an external load balancer', api: 'v1beta4', pods: '10.244.0.0/16', services: '10.96.0.0/16', dns: '10.96.0.3',
    endpoint: 'lb-apiserver.kubernetes.local:8443',
    vars: 'kube_version: v1.33.8\nkube_pods_subnet: 10.244.0.0/16\nkube_service_addresses: 10.96.0.0/16\nloadbalancer_apiserver: {address: 10.0.0.100, port: 8443}\n'
      + 'kube_kubeadm_apiserver_extra_args: {audit-log-maxage: "30"}\nkube_kubeadm_scheduler_extra_args: {profiling: "false"}\nkube_proxy_mode: ipvs\nkube_proxy_strict_arp: true\n',
  },
];

describe('rendered cluster configurations validate strictly and match the inventory', () => {
  it.each(CASES)('$name', (c) => {
    const r = render(`${c.vars}files_repo: http://10.0.0.10\nregistry_host: 10.0.0.10:5000\n`);
    for (const host of ['cp1', 'cp2', 'cp3']) {
      const docs = r.files(host, 'kubeadm-config.yaml');
      expect(docs.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual([`kubeadm.k8s.io/${c.api} InitConfiguration`, `kubeadm.k8s.io/${c.api} ClusterConfiguration`,
        'kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration', 'kubelet.config.k8s.io/v1beta1 KubeletConfiguration']);
      const init = byKind(docs, 'InitConfiguration');
      const cluster = byKind(docs, 'ClusterConfiguration');
      expect(init.localAPIEndpoint).toEqual({ advertiseAddress: IPS[host], bindPort: 6443 });
      expect(init.nodeRegistration.name).toBe(host);
      expect(args(init.nodeRegistration.kubeletExtraArgs)).toEqual({ 'node-ip': IPS[host] });
      expect(init.nodeRegistration.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
      expect(cluster.networking).toEqual({ dnsDomain: 'cluster.local', serviceSubnet: c.services, podSubnet: c.pods });
      expect(cluster.imageRepository).toBe('10.0.0.10:5000');
      expect(cluster.controlPlaneEndpoint).toBe(c.endpoint);
      expect(cluster.etcd.external.endpoints).toEqual(['https://10.0.0.11:2379', 'https://10.0.0.12:2379', 'https://10.0.0.13:2379']);
      expect(cluster.etcd.external.certFile).toBe(`/etc/ssl/etcd/ssl/node-${host}.pem`);
      expect(cluster.apiServer.certSANs).toEqual(expect.arrayContaining(['cp1', 'cp2', 'cp3', '10.0.0.11', '10.0.0.12', '10.0.0.13', c.dns.replace(/3$/, '1')]));
      expect(Array.isArray(cluster.apiServer.extraArgs)).toBe(c.api === 'v1beta4');
      expect(args(cluster.apiServer.extraArgs)['bind-address']).toBe('0.0.0.0');
      expect(byKind(docs, 'KubeProxyConfiguration').clusterCIDR).toBe(c.pods);
      expect(byKind(docs, 'KubeletConfiguration').clusterDNS).toEqual([c.dns]);
      if (host !== 'cp1') {
        const join = byKind(r.files(host, 'kubeadm-controlplane.yaml'), 'JoinConfiguration');
        expect(join.apiVersion).toBe(`kubeadm.k8s.io/${c.api}`);
        expect(join.controlPlane.localAPIEndpoint.advertiseAddress).toBe(IPS[host]);
        expect(join.controlPlane.certificateKey).toBe(init.certificateKey);
        expect(join.discovery.bootstrapToken.apiServerEndpoint).toBe(c.endpoint);
      }
    }
    const worker = byKind(r.files('w1', 'kubeadm-client.conf'), 'JoinConfiguration');
    expect(worker.discovery.bootstrapToken.caCertHashes).toEqual([`sha256:${'0'.repeat(64)}`]);
    expect(worker.controlPlane).toBeUndefined();
    expect(args(worker.nodeRegistration.kubeletExtraArgs)).toEqual({ 'node-ip': '10.0.0.21' });
    const kubelet = byKind(r.files('w1', 'kubelet-config.yaml'), 'KubeletConfiguration');
    expect([kubelet.address, kubelet.clusterDNS, kubelet.cgroupDriver, kubelet.rotateCertificates]).toEqual(['10.0.0.21', [c.dns], 'systemd', true]);
  }, 60_000);

  it('with kube_proxy_remove, kube-proxy is neither configured nor deployed', () => {
    const r = render('kube_version: v1.34.4\nkube_proxy_remove: true\n');
    const docs = r.files('cp1', 'kubeadm-config.yaml');
    expect(docs.some((d) => d.kind === 'KubeProxyConfiguration')).toBe(false);
    expect(byKind(docs, 'ClusterConfiguration').proxy).toEqual({ disabled: true });
  }, 60_000);
});

describe('the strict schemas reject what kubeadm, the kubelet and kube-proxy reject', () => {
  const init4 = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n';
  it.each([
    ['an unknown field', `${init4}nodeRegistration:\n  kubeletExtraArg: []\n`, /unknown field "kubeletExtraArg"/],
    ['v1beta3 map extraArgs under v1beta4', 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    v: "2"\n', /\/apiServer\/extraArgs: must be array/],
    ['v1beta4 timeouts under v1beta3', 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\ntimeouts: {}\n', /unknown field "timeouts"/],
    ['a malformed bootstrap token', `${init4}bootstrapTokens:\n  - token: ABC.def\n`, /bootstrapTokens\/0\/token: must match pattern/],
    ['a CA pin that is not sha256 hex', 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\ndiscovery:\n  bootstrapToken:\n    token: abcdef.0123456789abcdef\n    caCertHashes: ["md5:00"]\n', /caCertHashes\/0: must match pattern/],
    ['a kubelet field that does not exist', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupsDriver: systemd\n', /unknown field "cgroupsDriver"/],
    ['an unknown proxy mode', 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: userspace\n', /\/mode: must be equal to one of the allowed values/],
    ['an unknown kind', 'apiVersion: kubeadm.k8s.io/v1beta2\nkind: InitConfiguration\n', /no known configuration kind kubeadm.k8s.io\/v1beta2\/InitConfiguration/],
  ])('%s', (_name, text, message) => {
    const problems = checker.checkText(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => `${p.path}: ${p.message}`).join('\n')).toMatch(message);
  });
});

describe('kubeadm_ca_cert_hash', () => {
  it('equals openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256sum', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-ca-hash-'));
    for (const alg of [['-newkey', 'rsa:2048'], ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']]) {
      execFileSync('openssl', ['req', '-x509', ...alg, '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '1', '-subj', '/CN=kubernetes'], { stdio: 'ignore' });
      const expected = execFileSync('bash', ['-c', `openssl x509 -pubkey -noout -in ${join(dir, 'ca.crt')} | openssl pkey -pubin -outform der | sha256sum`], { encoding: 'utf8' }).split(' ')[0];
      expect(x509Filters.kubeadm_ca_cert_hash!(readFileSync(join(dir, 'ca.crt'), 'utf8'))).toBe(`sha256:${expected}`);
    }
    expect(() => x509Filters.kubeadm_ca_cert_hash!('not a certificate')).toThrow(/not a PEM certificate/);
  });
});
