import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { KubeConfigChecker } from '../../../engine/cluster/schemas/index.js';
import { serveStandins } from '../../fixtures/k8s-standins/standins.js';
import { recap, ssh, tsplay } from '../cluster/cluster-helpers.js';
import { calls, changedTasks, credentials, ipOf, kubeadmCalls, opensslCaHash, profileOf, writeInventory, yamlValue } from './k8s-helpers.js';

// cluster.yml with 1 control plane + 2 workers on an air-gapped lab, then scale.yml adding a
// 4th host. etcd, containerd, the mirror and the PKI are real; kubeadm, kubelet and kubectl
// are the recording stand-ins of test/fixtures/k8s-standins (served by the lab mirror,
// sha256-pinned), whose call logs show what the roles asked of them.
const lab = { name: 'k8sa', subnet: '10.88.30', hosts: 4, containers: true, mirror: true, log: (l: string) => console.log(l) };
const VERSION = 'v1.32.5';
const BASE = { controlPlanes: ['node1'], etcd: ['node1'], workers: ['node2', 'node3'] };
let state: LabState;
let work: string;
let inventory: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-k8s-'));
  await labDown(lab);
  state = await labUp(lab);
  serveStandins(state, [VERSION]);
  inventory = writeInventory(state, 'k8s-1cp.ini', { hosts: ['node1', 'node2', 'node3'], ...BASE });
}, 900_000);

afterAll(async () => {
  await labDown(lab);
}, 120_000);

describe('cluster.yml: 1 control plane + 2 workers', () => {
  let firstOut = '';
  it('first run succeeds on every host', () => {
    const r = tsplay(['playbooks/cluster.yml', '-i', inventory], work);
    console.log(`cluster.yml (1+2) first run: ${r.seconds.toFixed(1)} s`);
    firstOut = r.out;
    expect(r.code, r.out.slice(-4000)).toBe(0);
    expect(Object.keys(recap(r.out)).sort()).toEqual(['node1', 'node2', 'node3']);
  }, 600_000);

  it('secrets are generated once under credentials/ (0600, folder 0700) and never printed', () => {
    const c = credentials(state);
    expect(c.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(c.certificateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(c.modes).toEqual(['700', '600', '600', '600']);
    expect(firstOut).not.toContain(c.token.split('.')[1]);
    expect(firstOut).not.toContain(c.certificateKey);
  });

  it('kubeadm init runs once, on the first control plane, with the rendered configuration and skipped phases', () => {
    const inits = kubeadmCalls(state, 'node1', 'init');
    expect(inits).toHaveLength(1);
    expect(inits[0]!.argv).toEqual(['init', '--config=/etc/kubernetes/kubeadm-config.yaml', '--skip-phases=addon/coredns']);
    for (const h of ['node2', 'node3']) expect(kubeadmCalls(state, h, 'init')).toEqual([]);
    const config = inits[0]!.config!;
    expect(new KubeConfigChecker().checkText(config)).toEqual([]);
    expect(yamlValue(config, 'imageRepository')).toBe(`${state.mirror!.ip}:5000`);
    expect(yamlValue(config, 'kubernetesVersion')).toBe(VERSION);
    expect(yamlValue(config, 'advertiseAddress')).toBe(ipOf(state, 'node1'));
    expect(yamlValue(config, 'controlPlaneEndpoint')).toBe(`${ipOf(state, 'node1')}:6443`);
    expect(yamlValue(config, 'podSubnet')).toBe('10.233.64.0/18');
    expect(yamlValue(config, 'serviceSubnet')).toBe('10.233.0.0/18');
    expect(config).toContain(`- "https://${ipOf(state, 'node1')}:2379"`);
    expect(config).toContain('certFile: "/etc/ssl/etcd/ssl/node-node1.pem"');
    expect(config).toMatch(/- "10\.233\.0\.3"/);
    // on the host: written 0600, the stand-in left what kubeadm leaves, root has a kubeconfig
    const files = ssh(state, ipOf(state, 'node1'), 'stat -c %a /etc/kubernetes/kubeadm-config.yaml; ls /etc/kubernetes/manifests; '
      + 'cmp /etc/kubernetes/admin.conf /root/.kube/config && echo same; kubectl version --client; systemctl is-active kubelet').out;
    expect(files).toContain('600\nkube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\nsame\n');
    expect(files).toContain(`Client Version: ${VERSION}`);
    expect(files.trim().endsWith('active')).toBe(true);
    // the control plane registered with kubeadm's label and the taint of its nodeRegistration (stand-in kubectl reads the state)
    const node = JSON.parse(ssh(state, ipOf(state, 'node1'), 'kubectl get node node1 -o json').out);
    expect(node.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(node.metadata.labels).toHaveProperty(['node-role.kubernetes.io/control-plane'], '');
  });

  it('workers join once with the token and the CA pin that openssl computes from the cluster CA', () => {
    const pin = opensslCaHash(state, 'node1');
    const { token } = credentials(state);
    for (const h of ['node2', 'node3']) {
      const joins = kubeadmCalls(state, h, 'join');
      expect(joins, h).toHaveLength(1);
      expect(joins[0]!.argv).toEqual(['join', '--config=/etc/kubernetes/kubeadm-client.conf']);
      const config = joins[0]!.config!;
      expect(new KubeConfigChecker().checkText(config)).toEqual([]);
      expect(config).toContain(`- "${pin}"`);
      expect(yamlValue(config, 'token')).toBe(token);
      expect(yamlValue(config, 'apiServerEndpoint')).toBe(`${ipOf(state, 'node1')}:6443`);
      expect(config).not.toContain('controlPlane:');
      expect(ssh(state, ipOf(state, h), 'test -f /etc/kubernetes/kubelet.conf && systemctl is-active kubelet').out.trim()).toBe('active');
    }
    expect(kubeadmCalls(state, 'node1', 'join')).toEqual([]);
  });

  it('a second run changes nothing and calls neither init nor join again', () => {
    const before = ['node1', 'node2', 'node3'].map((h) => calls(state, h).length);
    const r = tsplay(['playbooks/cluster.yml', '-i', inventory], work);
    console.log(`cluster.yml (1+2) converged run: ${r.seconds.toFixed(1)} s`);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    for (const [host, row] of Object.entries(recap(r.out))) expect([host, row.changed, row.failed], changedTasks(r.out)).toEqual([host, 0, 0]);
    expect(['node1', 'node2', 'node3'].map((h) => calls(state, h).length)).toEqual(before);
  }, 600_000);
});

describe('scale.yml adds a 4th host', () => {
  it('--limit node4 joins node4 and touches no other node (only a token on the first control plane)', () => {
    const scaled = writeInventory(state, 'k8s-1cp-scaled.ini', { hosts: ['node1', 'node2', 'node3', 'node4'], ...BASE, workers: ['node2', 'node3', 'node4'] });
    const before = ['node1', 'node2', 'node3'].map((h) => calls(state, h));
    const r = tsplay(['playbooks/scale.yml', '-i', scaled, '--limit', 'node4', '--profile'], work);
    console.log(`scale.yml --limit node4: ${r.seconds.toFixed(1)} s\n${profileOf(r.out)}`);
    expect(r.code, r.out.slice(-4000)).toBe(0);
    expect(Object.keys(recap(r.out))).toEqual(['node4']);
    const joins = kubeadmCalls(state, 'node4', 'join');
    expect(joins).toHaveLength(1);
    expect(joins[0]!.config).toContain(`- "${opensslCaHash(state, 'node1')}"`);
    expect(calls(state, 'node2')).toEqual(before[1]);
    expect(calls(state, 'node3')).toEqual(before[2]);
    const added = calls(state, 'node1').slice(before[0]!.length);
    expect(added.map((c) => c.argv.slice(0, 2))).toEqual([['token', 'create']]);
  }, 600_000);

  it('run again without --limit: nothing is reconfigured; existing nodes only learn the new host in /etc/hosts', () => {
    const scaled = join(state.stateDir, 'k8s-1cp-scaled.ini');
    const before = ['node1', 'node2', 'node3', 'node4'].map((h) => calls(state, h).length);
    const r = tsplay(['playbooks/scale.yml', '-i', scaled], work);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    expect(Object.keys(recap(r.out)).sort()).toEqual(['node1', 'node2', 'node3', 'node4']);
    // with --limit the others were not contacted, so their /etc/hosts lacks node4 until a run reaches them
    expect(changedTasks(r.out).split('\n').sort()).toEqual(['node2', 'node3'].map((h) => `kubernetes/preinstall : Every node in /etc/hosts: ${h}`));
    expect(['node1', 'node2', 'node3', 'node4'].map((h) => calls(state, h).length)).toEqual(before);
  }, 600_000);
});
