import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCalls, renderStandin, standinChecksums, standinFiles, type StandinTool } from '../../fixtures/k8s-standins/standins.js';

// The recording stand-ins (test fixtures, not kubeadm/kubelet/kubectl) run here below a
// private root: their interface (log, files, state, failure markers) is what the e2e suites
// and the lifecycle tests rely on.
function harness(version = 'v1.32.5') {
  const root = mkdtempSync(join(tmpdir(), 'tsplay-standin-'));
  const bins = join(root, 'bin');
  mkdirSync(bins);
  for (const tool of ['kubeadm', 'kubelet', 'kubectl'] as StandinTool[]) writeFileSync(join(bins, tool), renderStandin(tool, version), { mode: 0o755 });
  const run = (tool: StandinTool, ...args: string[]) => {
    const r = spawnSync('python3', [join(bins, tool), ...args], { encoding: 'utf8', env: { ...process.env, K8S_STANDIN_ROOT: root } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const file = (p: string) => join(root, p);
  return { root, run, file, calls: () => parseCalls(readFileSync(file('/var/log/k8s-standin/calls.log'), 'utf8')) };
}

const INIT = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
  - token: "abcdef.0123456789abcdef"
    ttl: 24h0m0s
localAPIEndpoint:
  advertiseAddress: 10.0.0.11
  bindPort: 6443
nodeRegistration:
  name: cp1
  taints:
    - key: node-role.kubernetes.io/control-plane
      effect: NoSchedule
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.32.5
controlPlaneEndpoint: 10.0.0.11:6443
imageRepository: 10.0.0.10:5000
`;

describe('k8s recording stand-ins', () => {
  it('answer the version they were rendered for, with distinct checksums per version', () => {
    const h = harness('v1.33.3');
    expect(h.run('kubeadm', 'version', '-o', 'short').out.trim()).toBe('v1.33.3');
    expect(h.run('kubelet', '--version').out.trim()).toBe('Kubernetes v1.33.3');
    expect(h.run('kubectl', 'version', '--client').out).toContain('Client Version: v1.33.3');
    const sums = standinChecksums([...standinFiles('v1.32.5'), ...standinFiles('v1.33.3')]);
    expect(Object.keys(sums.kubeadm_checksums.amd64)).toEqual(['v1.32.5', 'v1.33.3']);
    expect(sums.kubeadm_checksums.amd64['v1.32.5']).not.toBe(sums.kubeadm_checksums.amd64['v1.33.3']);
    expect(h.calls().map((c) => [c.tool, c.argv[0]])).toEqual([['kubeadm', 'version'], ['kubelet', '--version'], ['kubectl', 'version']]);
  });

  it('kubeadm init writes what kubeadm writes, once; a second init fails preflight', () => {
    const h = harness();
    writeFileSync(h.file('/init.yaml'), INIT);
    const r = h.run('kubeadm', 'init', '--config', h.file('/init.yaml'), '--skip-phases=addon/coredns');
    expect(r.code, r.err).toBe(0);
    for (const f of ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf', '/etc/kubernetes/kubelet.conf', '/etc/kubernetes/pki/ca.crt',
      '/etc/kubernetes/manifests/kube-apiserver.yaml', '/var/lib/kubelet/config.yaml']) expect(existsSync(h.file(f)), f).toBe(true);
    expect(readFileSync(h.file('/etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8')).toContain('image: 10.0.0.10:5000/kube-apiserver:v1.32.5');
    writeFileSync(h.file('/admin.crt'), Buffer.from(/client-certificate-data: (\S+)/.exec(readFileSync(h.file('/etc/kubernetes/admin.conf'), 'utf8'))![1], 'base64'));
    const verify = spawnSync('openssl', ['verify', '-CAfile', h.file('/etc/kubernetes/pki/ca.crt'), h.file('/admin.crt')], { encoding: 'utf8' });
    expect(verify.stdout).toContain(': OK');
    expect(h.calls()[0].config).toContain('kind: ClusterConfiguration');
    const again = h.run('kubeadm', 'init', '--config', h.file('/init.yaml'));
    expect(again.code).toBe(1);
    expect(again.err).toContain('[ERROR FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml]');
    const nodes = JSON.parse(h.run('kubectl', 'get', 'nodes', '-o', 'json').out);
    expect(nodes.items[0].spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(h.run('kubeadm', 'init', 'phase', 'upload-certs', '--upload-certs', '--certificate-key', 'a'.repeat(64)).out.trim().split('\n').pop()).toBe('a'.repeat(64));
    writeFileSync(h.file('/init.yaml'), INIT.replace('localAPIEndpoint:', `certificateKey: ${'c'.repeat(64)}\nlocalAPIEndpoint:`));
    expect(h.run('kubeadm', 'init', 'phase', 'upload-certs', '--upload-certs', '--config', h.file('/init.yaml')).out.trim().split('\n').pop()).toBe('c'.repeat(64));
  });

  it('kubeadm join checks token, CA hash and certificate key, and refuses a joined node', () => {
    const h = harness();
    const join = (extra: string) => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\ndiscovery:\n  bootstrapToken:\n    apiServerEndpoint: 10.0.0.11:6443\n    token: abcdef.0123456789abcdef\n${extra}nodeRegistration:\n  name: w1\n`;
    writeFileSync(h.file('/bad.yaml'), join(''));
    expect(h.run('kubeadm', 'join', '--config', h.file('/bad.yaml')).err).toContain('caCertHashes');
    writeFileSync(h.file('/join.yaml'), join(`    caCertHashes:\n      - sha256:${'b'.repeat(64)}\n`));
    // like kubeadm: flags that the config can say are refused beside --config
    expect(h.run('kubeadm', 'join', '--config', h.file('/join.yaml'), '--control-plane').err).toContain("can not mix '--config' with arguments [control-plane]");
    writeFileSync(h.file('/cp.yaml'), join(`    caCertHashes:\n      - sha256:${'b'.repeat(64)}\n`) + 'controlPlane:\n  localAPIEndpoint:\n    advertiseAddress: 10.0.0.12\n');
    expect(h.run('kubeadm', 'join', '--config', h.file('/cp.yaml')).err).toContain('certificate key');
    mkdirSync(h.file('/etc/kubernetes/manifests'), { recursive: true });
    writeFileSync(h.file('/etc/kubernetes/manifests/nginx-proxy.yml'), 'kind: Pod\n');
    expect(h.run('kubeadm', 'join', '--config', h.file('/join.yaml')).err).toContain('[ERROR DirAvailable--etc-kubernetes-manifests]: ');
    writeFileSync(h.file('/join.yaml'), join(`    caCertHashes:\n      - sha256:${'b'.repeat(64)}\n`) + '  ignorePreflightErrors:\n    - DirAvailable--etc-kubernetes-manifests\n');
    expect(h.run('kubeadm', 'join', '--config', h.file('/join.yaml')).code).toBe(0);
    expect(existsSync(h.file('/etc/kubernetes/kubelet.conf'))).toBe(true);
    expect(h.run('kubeadm', 'join', '--config', h.file('/join.yaml')).err).toContain('[ERROR FileAvailable--etc-kubernetes-kubelet.conf]');
  });

  it('kubectl keeps nodes, labels, taints and cordons; drain fails on demand naming the pods', () => {
    const h = harness();
    expect(h.run('kubectl', 'label', 'node', 'n1', 'role=x').out).toContain('node/n1 labeled');
    expect(h.run('kubectl', 'taint', 'node', 'n1', 'dedicated=db:NoSchedule').code).toBe(0);
    expect(h.run('kubectl', 'cordon', 'n1').out).toContain('node/n1 cordoned');
    const path = '{.spec.unschedulable} {.metadata.labels.role} {range .status.conditions[?(@.type=="Ready")]}{.status}{end}';
    expect(h.run('kubectl', 'get', 'node', 'n1', '-o', `jsonpath=${path}`).out).toBe('true x True');
    expect(h.run('kubectl', 'uncordon', 'n1').code).toBe(0);
    mkdirSync(h.file('/var/lib/k8s-standin/fail'), { recursive: true });
    writeFileSync(h.file('/var/lib/k8s-standin/fail/drain-n1'), 'shop/web-0\nshop/web-1\n');
    const d = h.run('kubectl', 'drain', 'n1', '--ignore-daemonsets', '--delete-emptydir-data');
    expect(d.code).toBe(1);
    expect(d.err).toContain('error when evicting pods/"web-0" -n "shop"');
    expect(d.err).toContain('unable to drain node "n1"');
    expect(h.run('kubectl', 'delete', 'node', 'n1').out).toContain('deleted');
    expect(h.run('kubectl', 'get', 'node', 'n1').err).toContain('NotFound');
    writeFileSync(h.file('/var/lib/k8s-standin/fail/kubeadm-upgrade-once'), 'boom\n');
    expect(h.run('kubeadm', 'upgrade', 'node').code).toBe(1);
    expect(h.run('kubeadm', 'upgrade', 'node').code).toBe(0);
  });
});
