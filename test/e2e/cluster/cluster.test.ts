import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { serveStandins } from '../../fixtures/k8s-standins/standins.js';
import { FOOTPRINT, inventoryVariant, recap, ssh, tsplay } from './cluster-helpers.js';

// cluster.yml on a fresh air-gapped lab (3 systemd hosts, no route out) with the lab's mirror
// host: containerd pulling through the mirror registry, 3-member etcd over TLS, the PKI,
// idempotence, check mode, etcd backup + restore, and bad inventories refused untouched.
// (The kubeadm side is covered by test/e2e/k8s; here the stand-ins only let cluster.yml finish.)
const lab = { name: 'tsplaycl', subnet: '10.88.14', hosts: 3, containers: true, mirror: true, log: (l: string) => console.log(l) };
const PLAYBOOK = 'playbooks/cluster.yml';
let state: LabState;
let work: string;

const nodes = (): LabState['hosts'] => state.hosts;
const mirrorIp = (): string => state.mirror!.ip;

function untouched(): void {
  for (const h of nodes()) {
    const r = ssh(state, h.ip, FOOTPRINT.map((p) => `test -e ${p} && echo ${p}`).join('; ') + '; true');
    expect(r.out.trim(), `${h.name} was changed`).toBe('');
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-cl-'));
  await labDown(lab);
  state = await labUp(lab);
  // kubeadm, kubelet and kubectl cannot be obtained here: cluster.yml's control plane and node
  // plays run the recording stand-ins (test/fixtures/k8s-standins), served by the lab mirror
  serveStandins(state, ['v1.32.5']);
}, 900_000);

afterAll(async () => {
  await labDown(lab);
}, 120_000);

describe('bad inventories stop before any host changes', () => {
  const cases: [string, (s: LabState) => string, RegExp[]][] = [
    ['an even etcd count', (s) => inventoryVariant(s, (ini) => ini.replace(/\[etcd\]\nnode1\nnode2\nnode3/, '[etcd]\nnode1\nnode2')),
      [/\[etcd\] \(.*inventory\.ini:\d+\): has 2 hosts/, /odd number/]],
    ['overlapping CIDRs', (s) => inventoryVariant(s, (x) => x, { 'zz-bad.yml': 'kube_pods_subnet: 10.233.0.0/16\n' }),
      [/kube_pods_subnet \(.*group_vars\/all\/zz-bad\.yml:1\): 10\.233\.0\.0\/16 overlaps kube_service_addresses/]],
    ['a pod range holding node addresses', (s) => inventoryVariant(s, (x) => x, { 'zz-bad.yml': 'kube_pods_subnet: 10.88.0.0/16\n' }),
      [/kube_pods_subnet .*contains node addresses \(node1 10\.88\.14\.11/]],
    ['an unknown container_manager', (s) => inventoryVariant(s, (x) => x, { 'zz-bad.yml': 'container_manager: rkt\n' }),
      [/container_manager \(.*zz-bad\.yml:1\): has the value "rkt", which is not supported; tsplay deploys containerd/]],
    ['a checksum mismatch on the mirror', (s) => inventoryVariant(s, (x) => x, { 'zz-bad.yml': `etcd_binary_checksums:\n  amd64:\n    v3.4.23: ${'deadbeef'.repeat(8)}\n` }),
      [/etcd_binary_checksums \(.*zz-bad\.yml:1\): the mirror's http:\/\/10\.88\.14\.10\/github\.com\/etcd-io\/etcd\/releases\/download\/v3\.4\.23\/etcd-v3\.4\.23-linux-amd64\.tar\.gz has sha256 [0-9a-f]{64}, the inventory pins (deadbeef){8}/]],
  ];
  it.each(cases)('%s', (_name, make, patterns) => {
    const r = tsplay([PLAYBOOK, '-i', make(state)], work);
    expect(r.code, r.out).toBe(2);
    // the failure result is printed as JSON, like ansible's: read its msg unescaped
    const text = r.out.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    expect(text).toContain('the inventory is not valid');
    expect(text).toContain('no host was changed');
    for (const p of patterns) expect(text).toMatch(p);
    // one failed task, and no play after the validation ran
    expect(r.out.match(/^fatal:/gm)?.length).toBe(1);
    expect(r.out).not.toContain('Gathering Facts');
    untouched();
  }, 120_000);
});

describe('cluster.yml on the air-gapped lab', () => {
  it('first run succeeds on every host', () => {
    const r = tsplay([PLAYBOOK, '-i', state.inventory], work);
    console.log(`cluster.yml first run: ${r.seconds.toFixed(1)} s`);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    const rows = recap(r.out);
    expect(Object.keys(rows).sort()).toEqual(['node1', 'node2', 'node3']);
    for (const row of Object.values(rows)) expect(row.failed + row.unreachable).toBe(0);
  }, 600_000);

  it('containerd runs on every node and pulls only through the mirror registry', () => {
    for (const h of nodes()) {
      const r = ssh(state, h.ip, 'systemctl is-active containerd && ctr -n k8s.io images ls -q && '
        + 'ctr -n tsplay-e2e images pull --hosts-dir /etc/containerd/certs.d registry.k8s.io/pause:3.10 >/dev/null && echo pulled; '
        + 'ctr -n tsplay-e2e images pull registry.k8s.io/pause:3.10 >/dev/null 2>&1 || echo direct-fails; '
        + 'grep -c SystemdCgroup.=.true /etc/containerd/config.toml; cat /etc/crictl.yaml | grep -c containerd.sock');
      const lines = r.out.trim().split('\n');
      expect(lines[0]).toBe('active');
      expect(lines).toContain(`${mirrorIp()}:5000/pause:3.10`);
      expect(lines.slice(-4)).toEqual(['pulled', 'direct-fails', '1', '2']);
    }
    const log = ssh(state, mirrorIp(), 'journalctl -u tsplay-mirror-registry --no-pager').out;
    for (const h of nodes()) {
      // containerd resolves the tag with HEAD: once for the download role's pull of <registry_host>/pause,
      // once through the registry.k8s.io mirror (hosts.toml), which the registry sees with ?ns=
      const ip = h.ip.replace(/\./g, '\\.');
      expect(log).toMatch(new RegExp(`${ip} - - .*"HEAD /v2/pause/manifests/3\\.10 HTTP`));
      expect(log).toMatch(new RegExp(`${ip} - - .*"HEAD /v2/pause/manifests/3\\.10\\?ns=registry\\.k8s\\.io HTTP`));
    }
  }, 120_000);

  it('etcd is one 3-member cluster over TLS, healthy from every member, with the PKI in place', () => {
    for (const h of nodes()) {
      const health = ssh(state, h.ip, 'etcdctl.sh endpoint health --cluster 2>&1');
      expect(health.out.match(/^https:\/\/10\.88\.14\.1[123]:2379 is healthy/gm)?.length, health.out).toBe(3);
      const members = ssh(state, h.ip, 'etcdctl.sh member list').out.trim().split('\n');
      expect(members.map((m) => m.split(', ')[2]).sort()).toEqual(['node1', 'node2', 'node3']);
      const pki = ssh(state, h.ip, `ls /etc/ssl/etcd/ssl; openssl verify -CAfile /etc/ssl/etcd/ssl/ca.pem /etc/ssl/etcd/ssl/member-${h.name}.pem`).out;
      expect(pki).toContain(`admin-${h.name}.pem`);
      expect(pki).toContain(`member-${h.name}.pem: OK`);
    }
    // the control plane also has its kubeadm tree and the apiserver's etcd client cert
    expect(ssh(state, nodes()[0].ip, 'ls /etc/kubernetes/pki/ca.crt /etc/ssl/etcd/ssl/node-node1.pem').code).toBe(0);
  }, 120_000);

  it('a second run changes nothing on any host', () => {
    const r = tsplay([PLAYBOOK, '-i', state.inventory], work);
    console.log(`cluster.yml converged run: ${r.seconds.toFixed(1)} s`);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    for (const [host, row] of Object.entries(recap(r.out))) expect([host, row.changed, row.failed]).toEqual([host, 0, 0]);
  }, 600_000);

  it('check mode on the converged cluster changes nothing', () => {
    const r = tsplay([PLAYBOOK, '-i', state.inventory, '--check'], work);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    const rows = recap(r.out);
    expect(Object.keys(rows)).toHaveLength(3);
    for (const [host, row] of Object.entries(rows)) expect([host, row.changed, row.failed]).toEqual([host, 0, 0]);
  }, 600_000);
});

describe('a download that does not match its pinned sha256', () => {
  it('fails the task clearly and leaves no file behind (controller preflight off)', () => {
    const listing = (): string[] => nodes().map((h) => ssh(state, h.ip, 'ls -a /tmp/releases /usr/local/bin /var/lib/tsplay/installed').out);
    const before = listing();
    const inv = inventoryVariant(state, (x) => x, { 'zz-bad.yml': `runc_checksums:\n  amd64:\n    v1.1.5: ${'ab'.repeat(32)}\n` });
    const r = tsplay([PLAYBOOK, '-i', inv, '--tags', 'container-engine', '-e', 'download_preflight_checksums=false'], work);
    expect(r.code, r.out.slice(-2000)).toBe(2);
    expect(r.out).toMatch(/TASK \[download : Download \| runc\]/);
    expect(r.out).toMatch(/The checksum for \/tmp\/releases\/runc-v1\.1\.5\.amd64 did not match/);
    expect(listing()).toEqual(before);
  }, 300_000);
});

describe('etcd backup and restore', () => {
  it('backup keeps the newest N snapshots and snapshot status accepts them', () => {
    expect(ssh(state, nodes()[0].ip, 'etcdctl.sh put tsplay-e2e before-backup').code).toBe(0);
    for (let i = 0; i < 3; i++) {
      const r = tsplay(['playbooks/etcd-backup.yml', '-i', state.inventory, '-e', 'etcd_backup_retention_count=2'], work);
      expect(r.code, r.out).toBe(0);
    }
    const dirs = ssh(state, nodes()[0].ip, 'ls -1d /var/backups/etcd-*').out.trim().split('\n');
    expect(dirs).toHaveLength(2);
    const status = ssh(state, nodes()[0].ip, `ETCDCTL_API=3 etcdctl snapshot status ${dirs[1]}/snapshot.db -w json`);
    expect(status.code, status.out).toBe(0);
    expect(JSON.parse(status.out).totalKey).toBeGreaterThan(0);
  }, 300_000);

  it('the documented restore brings the members back with the data', () => {
    const snap = ssh(state, nodes()[0].ip, 'ls -1d /var/backups/etcd-* | sort | tail -1').out.trim() + '/snapshot.db';
    expect(ssh(state, nodes()[0].ip, 'etcdctl.sh put tsplay-e2e after-backup && systemctl is-active etcd').code).toBe(0);
    const data = ssh(state, nodes()[0].ip, `base64 -w0 ${snap}`).out;
    const cluster = nodes().map((h) => `${h.name}=https://${h.ip}:2380`).join(',');
    for (const h of nodes()) {
      // roles/etcd/README.md "Restore": stop etcd, restore the snapshot into a NEW data dir on every member...
      const r = ssh(state, h.ip, `systemctl stop etcd && base64 -d > /tmp/snapshot.db && ETCDCTL_API=3 etcdctl snapshot restore /tmp/snapshot.db `
        + `--name ${h.name} --initial-cluster ${cluster} --initial-cluster-token k8s_etcd --initial-advertise-peer-urls https://${h.ip}:2380 `
        + '--data-dir /var/lib/etcd-restored >/dev/null 2>&1 && echo restored', data);
      expect(r.out.trim(), r.out).toBe('restored');
    }
    // ... then point etcd at it (etcd_data_dir) with the etcd role.
    const r = tsplay([PLAYBOOK, '-i', state.inventory, '--tags', 'etcd', '-e', 'etcd_data_dir=/var/lib/etcd-restored'], work);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    for (const h of nodes()) {
      expect(ssh(state, h.ip, 'grep ^ETCD_DATA_DIR= /etc/etcd.env').out.trim()).toBe('ETCD_DATA_DIR=/var/lib/etcd-restored');
      expect(ssh(state, h.ip, 'etcdctl.sh get tsplay-e2e --print-value-only').out.trim()).toBe('before-backup');
    }
  }, 600_000);
});
