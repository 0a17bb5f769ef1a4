import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { KubeConfigChecker } from '../../../engine/cluster/schemas/index.js';
import { serveStandins } from '../../fixtures/k8s-standins/standins.js';
import { recap, ssh, tsplay } from '../cluster/cluster-helpers.js';
import { calls, changedTasks, credentials, ipOf, kubeadmCalls, opensslCaHash, writeInventory, yamlValue } from './k8s-helpers.js';

// cluster.yml with 3 control planes (etcd on them, real, over TLS) + 1 worker on an air-gapped
// lab; kubeadm, kubelet and kubectl are the recording stand-ins (test/fixtures/k8s-standins).
const lab = { name: 'k8sb', subnet: '10.88.31', hosts: 4, containers: true, mirror: true, log: (l: string) => console.log(l) };
const VERSION = 'v1.33.3';
const CPS = ['node1', 'node2', 'node3'];
let state: LabState;
let work: string;
let inventory: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-k8s3-'));
  await labDown(lab);
  state = await labUp(lab);
  serveStandins(state, [VERSION]);
  inventory = writeInventory(state, 'k8s-3cp.ini', { hosts: [...CPS, 'node4'], controlPlanes: CPS, etcd: CPS, workers: ['node4'] });
}, 900_000);

afterAll(async () => {
  await labDown(lab);
}, 120_000);

describe('cluster.yml: 3 control planes (stacked etcd hosts) + 1 worker', () => {
  it('first run succeeds on every host', () => {
    const r = tsplay(['playbooks/cluster.yml', '-i', inventory], work);
    console.log(`cluster.yml (3+1) first run: ${r.seconds.toFixed(1)} s`);
    expect(r.code, r.out.slice(-4000)).toBe(0);
    expect(Object.keys(recap(r.out)).sort()).toEqual(['node1', 'node2', 'node3', 'node4']);
  }, 600_000);

  it('init once on node1, then the certificates uploaded with the certificate key of credentials/', () => {
    const { certificateKey } = credentials(state);
    const node1 = calls(state, 'node1').filter((c) => c.tool === 'kubeadm').map((c) => c.argv.join(' '));
    expect(node1).toEqual([
      'init --config=/etc/kubernetes/kubeadm-config.yaml --skip-phases=addon/coredns',
      'init phase upload-certs --upload-certs --config=/etc/kubernetes/kubeadm-config.yaml',
      // for the worker's join: the token exists since init ("already exists" is fine)
      'token create --config=/etc/kubernetes/kubeadm-config.yaml',
    ]);
    const upload = kubeadmCalls(state, 'node1', 'init')[1]!;
    expect(yamlValue(upload.config!, 'certificateKey')).toBe(certificateKey);
  });

  it('node2 and node3 join as control planes with the certificate key and the CA pin, one at a time', () => {
    const { certificateKey, token } = credentials(state);
    const pin = opensslCaHash(state, 'node1');
    const times: string[] = [];
    for (const h of ['node2', 'node3']) {
      expect(kubeadmCalls(state, h, 'init'), h).toEqual([]);
      const joins = kubeadmCalls(state, h, 'join');
      expect(joins, h).toHaveLength(1);
      expect(joins[0]!.argv).toEqual(['join', '--config=/etc/kubernetes/kubeadm-controlplane.yaml']);
      const config = joins[0]!.config!;
      expect(new KubeConfigChecker().checkText(config)).toEqual([]);
      // kubeadm refuses --control-plane/--certificate-key beside --config: they are in the JoinConfiguration
      expect(config).toMatch(/^controlPlane:\n {2}localAPIEndpoint:\n {4}advertiseAddress: "([\d.]+)"/m);
      expect(yamlValue(config, 'advertiseAddress')).toBe(ipOf(state, h));
      expect(yamlValue(config, 'certificateKey')).toBe(certificateKey);
      expect(yamlValue(config, 'token')).toBe(token);
      expect(config).toContain(`- "${pin}"`);
      expect(ssh(state, ipOf(state, h), 'ls /etc/kubernetes/manifests; cmp /etc/kubernetes/admin.conf /root/.kube/config && echo same').out)
        .toBe('kube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\nsame\n');
      times.push(joins[0]!.time);
    }
    // the upload precedes both joins (the log's clock is each host's, the lab's machine clock)
    expect(kubeadmCalls(state, 'node1', 'init')[1]!.time <= times.sort()[0]!).toBe(true);
  });

  it('the worker joins with the token and the CA pin openssl computes, and no control plane is joined twice', () => {
    const joins = kubeadmCalls(state, 'node4', 'join');
    expect(joins).toHaveLength(1);
    expect(joins[0]!.argv).toEqual(['join', '--config=/etc/kubernetes/kubeadm-client.conf']);
    expect(joins[0]!.config).toContain(`- "${opensslCaHash(state, 'node2')}"`);
    expect(joins[0]!.config).not.toContain('controlPlane:');
    expect(kubeadmCalls(state, 'node1', 'join')).toEqual([]);
  });

  it('etcd is one real 3-member cluster the API servers are pointed at', () => {
    const members = ssh(state, ipOf(state, 'node1'), 'etcdctl.sh member list').out.trim().split('\n');
    expect(members.map((m) => m.split(', ')[2]).sort()).toEqual(CPS);
    const config = kubeadmCalls(state, 'node1', 'init')[0]!.config!;
    for (const h of CPS) expect(config).toContain(`- "https://${ipOf(state, h)}:2379"`);
    expect(ssh(state, ipOf(state, 'node2'), 'openssl verify -CAfile /etc/ssl/etcd/ssl/ca.pem /etc/ssl/etcd/ssl/node-node2.pem').out).toContain(': OK');
  });

  it('a second run changes nothing and calls neither init, upload-certs nor join again', () => {
    const before = [...CPS, 'node4'].map((h) => calls(state, h).length);
    const r = tsplay(['playbooks/cluster.yml', '-i', inventory], work);
    console.log(`cluster.yml (3+1) converged run: ${r.seconds.toFixed(1)} s`);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    for (const [host, row] of Object.entries(recap(r.out))) expect([host, row.changed, row.failed], changedTasks(r.out)).toEqual([host, 0, 0]);
    expect([...CPS, 'node4'].map((h) => calls(state, h).length)).toEqual(before);
  }, 600_000);
});
