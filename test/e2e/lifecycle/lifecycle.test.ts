import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { recap, ssh, tsplay } from '../cluster/cluster-helpers.js';
import { parseCalls, serveStandins, STANDIN_LOG, STANDIN_STATE_DIR, type StandinCall } from '../../fixtures/k8s-standins/standins.js';
import { etcdView, firstRun, installIptables, NODE_LEFTOVERS, resultOrder, writeInventory, type Layout } from './lifecycle-helpers.js';

// Day-2 playbooks on an air-gapped lab of 5 real systemd hosts (real etcd over TLS with 5
// members, real containerd) with RECORDING STAND-INS of kubeadm/kubelet/kubectl (test
// fixtures served from the lab mirror, never the real tools): upgrade-cluster.yml,
// recover-etcd.yml, remove-node.yml and reset.yml. Its own lab name and subnet.
const lab = { name: 'k8slc', subnet: '10.88.33', hosts: 5, containers: true, mirror: true, log: (l: string) => console.log(l) };
const FULL: Layout = { kube_control_plane: ['node1', 'node2'], etcd: ['node1', 'node2', 'node3', 'node4', 'node5'], kube_node: ['node3', 'node4', 'node5'] };
const AFTER_REMOVAL: Layout = { kube_control_plane: ['node1', 'node2'], etcd: ['node1', 'node2', 'node3'], kube_node: ['node3'] };
let state: LabState;
let work: string;
let inventory: string;

const [V132, V133, V134] = ['v1.32.5', 'v1.33.3', 'v1.34.1'];
const ipOf = (name: string): string => state.hosts.find((h) => h.name === name)!.ip;
const HOSTS = ['node1', 'node2', 'node3', 'node4', 'node5'];
const ADMIN = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';

/** Every stand-in call logged on each host so far. */
function calls(): Record<string, StandinCall[]> {
  return Object.fromEntries(HOSTS.map((h) => [h, parseCalls(ssh(state, ipOf(h), `cat ${STANDIN_LOG} 2>/dev/null`).out)]));
}
const since = (before: Record<string, StandinCall[]>, after: Record<string, StandinCall[]>): Record<string, StandinCall[]> =>
  Object.fromEntries(HOSTS.map((h) => [h, after[h]!.slice(before[h]!.length)]));
const kubeadmUpgrades = (cs: readonly StandinCall[]): string[] =>
  cs.filter((c) => c.tool === 'kubeadm' && c.argv[0] === 'upgrade').map((c) => `${c.version} ${c.argv.join(' ')}`);
/** `verb node` of CP0's cordon/drain/uncordon calls, in the order they were made. */
const nodeOps = (cs: readonly StandinCall[]): string[] =>
  cs.filter((c) => c.tool === 'kubectl' && ['cordon', 'drain', 'uncordon'].includes(c.argv[c.argv.indexOf('--kubeconfig') + 2] ?? ''))
    .map((c) => { const a = c.argv.slice(c.argv.indexOf('--kubeconfig') + 2); return `${a[0]} ${a.filter((x) => /^node\d$/.test(x))[0]}`; });
function apiNodes(): Record<string, { unschedulable: boolean; version: string }> {
  return JSON.parse(ssh(state, ipOf('node1'), `cat ${STANDIN_STATE_DIR}/state.json`).out).nodes;
}
const unescape = (out: string): string => out.replace(/\\n/g, '\n').replace(/\\"/g, '"');
const yes = ['-e', 'skip_confirmation=true'];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-lc-'));
  await labDown(lab);
  state = await labUp(lab);
  // newest first: the checksum tables' first key is the newest supported version
  serveStandins(state, [V134, V133, V132], { kube_version: V132 });
  inventory = writeInventory(state, FULL);
  // 5 hosts with the control plane and nodes: minutes on a loaded machine
  const r = tsplay(['playbooks/cluster.yml', '-i', inventory], work, 1_500_000);
  console.log(`cluster.yml (5 hosts): ${r.seconds.toFixed(1)} s`);
  if (r.code !== 0) throw new Error(`cluster.yml failed:\n${r.out.slice(-3000)}`);
}, 1_800_000);

afterAll(async () => {
  await labDown(lab);
}, 120_000);

describe('upgrade-cluster.yml (kubeadm/kubelet/kubectl are recording stand-ins)', () => {
  it('refuses v1.32 → v1.34 before any host changes', () => {
    const before = calls();
    const backups = ssh(state, ipOf('node1'), 'ls -d /var/backups/etcd-* 2>/dev/null | wc -l').out;
    const r = tsplay(['playbooks/upgrade-cluster.yml', '-i', inventory, '-e', `kube_version=${V134}`], work);
    expect(r.code, r.out.slice(-3000)).toBe(2);
    const text = unescape(r.out);
    expect(text).toContain(`the upgrade ${V132} → ${V134} is refused (1 problem); no host was changed`);
    expect(text).toContain(`${V132} → ${V134} skips 1 minor version; kubeadm upgrades one minor at a time; upgrade to v1.33.x first`);
    expect(r.out).not.toContain('PLAY [Back up etcd before the upgrade]');
    // only the read-only `kubectl get nodes -o json` on the first control plane
    const made = since(before, calls());
    expect(made.node1!.map((c) => `${c.tool} ${c.argv.slice(2).join(' ')}`)).toEqual(['kubectl get nodes -o json']);
    for (const h of HOSTS.slice(1)) expect(made[h], h).toEqual([]);
    expect(ssh(state, ipOf('node1'), 'ls -d /var/backups/etcd-* 2>/dev/null | wc -l').out).toBe(backups);
  }, 120_000);

  it(`upgrades ${V132} → ${V133}: etcd snapshot, apply once on the first control plane, node on the other, workers drained in batches`, () => {
    const before = calls();
    const backups = Number(ssh(state, ipOf('node1'), 'ls -d /var/backups/etcd-* 2>/dev/null | wc -l').out);
    const r = tsplay(['playbooks/upgrade-cluster.yml', '-i', inventory, '-e', `kube_version=${V133}`, '-e', 'serial=2'], work);
    console.log(`upgrade-cluster.yml (2 control planes, 3 workers): ${r.seconds.toFixed(1)} s`);
    expect(r.code, r.out.slice(-4000)).toBe(0);
    const made = since(before, calls());
    expect(kubeadmUpgrades(made.node1!)).toEqual([`${V133} upgrade apply ${V133} -y --certificate-renewal=true --etcd-upgrade=false`]);
    for (const h of ['node2', 'node3', 'node4', 'node5']) expect(kubeadmUpgrades(made[h]!), h).toEqual([`${V133} upgrade node`]);
    for (const h of HOSTS) {
      // the kubelet was restarted on its new binary
      expect(made[h]!.some((c) => c.tool === 'kubelet' && c.version === V133 && !c.argv.some((a) => /^-*version$/.test(a))), h).toBe(true);
      expect(ssh(state, ipOf(h), '/usr/local/bin/kubeadm version -o short; /usr/local/bin/kubelet --version').out.trim().split('\n'), h).toEqual([V133, `Kubernetes ${V133}`]);
    }
    // cordon -> drain -> uncordon per node; control planes one at a time, then the batches [node3, node4], [node5]
    const ops = nodeOps(made.node1!);
    const at = (op: string): number => ops.indexOf(op);
    expect(ops.slice(0, 6)).toEqual(['cordon node1', 'drain node1', 'uncordon node1', 'cordon node2', 'drain node2', 'uncordon node2']);
    for (const n of ['node3', 'node4', 'node5']) expect(ops.filter((o) => o.endsWith(` ${n}`)), n).toEqual([`cordon ${n}`, `drain ${n}`, `uncordon ${n}`]);
    expect(Math.max(at('cordon node3'), at('cordon node4'))).toBeLessThan(Math.min(at('uncordon node3'), at('uncordon node4')));
    expect(Math.max(at('uncordon node3'), at('uncordon node4'))).toBeLessThan(at('cordon node5'));
    const drain = made.node1!.find((c) => c.argv.includes('drain'))!.argv.join(' ');
    expect(drain).toMatch(/drain --ignore-daemonsets --delete-emptydir-data --grace-period 300 --timeout 360s node1$/);
    // per node, in the run's own order: drained, binaries, kubeadm, kubelet restarted, uncordoned
    const ev = resultOrder(r.out);
    expect(firstRun(ev, 'kubeadm upgrade apply', 'node1')).toBeLessThan(firstRun(ev, 'kubeadm upgrade node', 'node2'));
    for (const n of HOSTS) {
      const steps = ['Upgrade | drained', 'Upgrade | binaries installed', n === 'node1' ? 'kubeadm upgrade apply' : 'kubeadm upgrade node', 'kubelet restarted', 'Upgrade | uncordoned'];
      const idx = steps.map((s) => firstRun(ev, s, n));
      expect(idx.every((i) => i >= 0), `${n}: ${steps.join(' < ')} = ${idx.join(', ')}`).toBe(true);
      expect([...idx].sort((a, b) => a - b), n).toEqual(idx);
    }
    expect(Object.values(apiNodes()).some((n) => n.unschedulable)).toBe(false);
    // the snapshot came first
    expect(Number(ssh(state, ipOf('node1'), 'ls -d /var/backups/etcd-* | wc -l').out)).toBe(backups + 1);
    expect(r.out.indexOf('PLAY [Back up etcd before the upgrade]')).toBeLessThan(r.out.indexOf('PLAY [Upgrade the control planes, one at a time]'));
    // like Kubespray: the network plugin and the apps are applied again once every node runs the new version
    expect(r.out.indexOf('PLAY [Upgrade the workers in batches]')).toBeGreaterThan(0);
    expect(r.out.indexOf('PLAY [Install the network plugin]')).toBeGreaterThan(r.out.indexOf('PLAY [Upgrade the workers in batches]'));
    expect(r.out.indexOf('PLAY [Install Kubernetes apps]')).toBeGreaterThan(r.out.indexOf('PLAY [Install the network plugin]'));
    expect(r.out).toMatch(/TASK \[network_plugin\/flannel : [^\]]*\]/);
  }, 600_000);

  it('a drain the stand-in fails: that node is uncordoned, its batch finishes, the run stops naming it and the blocking pod', () => {
    expect(ssh(state, ipOf('node1'), `mkdir -p ${STANDIN_STATE_DIR}/fail && echo shop/checkout-7d9f > ${STANDIN_STATE_DIR}/fail/drain-node4`).code).toBe(0);
    const before = calls();
    const r = tsplay(['playbooks/upgrade-cluster.yml', '-i', inventory, '-e', `kube_version=${V133}`, '-e', 'serial=2',
      '-e', 'drain_retries=1', '-e', 'drain_retry_delay_seconds=0'], work);
    ssh(state, ipOf('node1'), `rm -f ${STANDIN_STATE_DIR}/fail/drain-node4`);
    expect(r.code, r.out.slice(-4000)).toBe(2);
    expect(unescape(r.out)).toMatch(/could not drain node4 \(2 attempts, drain_timeout 360s\); it was uncordoned again and not upgraded\. Pods that blocked it: shop\/checkout-7d9f\./);
    expect(recap(r.out).node4).toMatchObject({ failed: 1 });
    const made = since(before, calls());
    expect(kubeadmUpgrades(made.node4!)).toEqual([]);
    expect(kubeadmUpgrades(made.node3!)).toEqual([`${V133} upgrade node`]);
    // batch 2 (node5) never started
    expect(made.node5).toEqual([]);
    expect(nodeOps(made.node1!).filter((o) => /node[345]$/.test(o))).toEqual(expect.arrayContaining(['uncordon node3', 'uncordon node4']));
    expect(nodeOps(made.node1!).some((o) => o.endsWith('node5'))).toBe(false);
    const api = apiNodes();
    expect([api.node3!.unschedulable, api.node4!.unschedulable, api.node5!.unschedulable]).toEqual([false, false, false]);
  }, 600_000);
});

describe('recover-etcd.yml', () => {
  it('brings every member back to the newest snapshot, healthy', () => {
    expect(ssh(state, ipOf('node1'), 'etcdctl.sh put lc-key in-snapshot').code).toBe(0);
    expect(tsplay(['playbooks/etcd-backup.yml', '-i', inventory], work).code).toBe(0);
    expect(ssh(state, ipOf('node2'), 'etcdctl.sh del lc-key && etcdctl.sh put lc-late after-snapshot').code).toBe(0);
    const r = tsplay(['playbooks/recover-etcd.yml', '-i', inventory, ...yes], work);
    console.log(`recover-etcd.yml (5 members): ${r.seconds.toFixed(1)} s`);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    for (const h of FULL.etcd) {
      const ip = ipOf(h);
      expect(ssh(state, ip, 'etcdctl.sh get lc-key --print-value-only').out.trim(), h).toBe('in-snapshot');
      expect(ssh(state, ip, 'etcdctl.sh get lc-late --print-value-only').out.trim(), h).toBe('');
      // the data it replaced is kept aside, never deleted
      expect(ssh(state, ip, 'ls -d /var/lib/etcd.before-restore-* | wc -l').out.trim(), h).toBe('1');
    }
    const view = etcdView(state, ipOf('node3'));
    expect(view.members).toEqual(FULL.etcd);
    expect(view.healthy, view.health).toHaveLength(5);
    // no copy of the snapshot stays on the members
    expect(ssh(state, ipOf('node4'), 'ls /var/lib/etcd.snapshot.db 2>&1').out).toMatch(/No such file/);
  }, 300_000);

  it('without a terminal and without skip_confirmation it stops before any host changes', () => {
    const r = tsplay(['playbooks/recover-etcd.yml', '-i', inventory], work);
    expect(r.code).toBe(2);
    expect(r.out).toContain('recover-etcd.yml was not confirmed, no host was changed');
    expect(r.out).not.toContain('Pick and check the snapshot');
  }, 60_000);
});

describe('remove-node.yml', () => {
  const refusals: [string, string[], RegExp][] = [
    ['no node named', [], /remove-node\.yml needs the nodes to remove: -e node=NAME/],
    ['an unknown node', ['-e', 'node=node9', ...yes], /not in the inventory: node9/],
    ['the first control plane', ['-e', 'node=node4,node1', ...yes], /node1 is the first control plane/],
    ['no confirmation and no terminal', ['-e', 'node=node4'], /remove-node\.yml was not confirmed, no node was changed: .*-e skip_confirmation=true/],
  ];
  it.each(refusals)('refuses %s before touching anything', (_n, args, message) => {
    const r = tsplay(['playbooks/remove-node.yml', '-i', inventory, ...args], work);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(message);
    expect(r.out).not.toContain('PLAY [Remove the nodes]');
    expect(etcdView(state, ipOf('node1')).members).toEqual(FULL.etcd);
  }, 60_000);

  it('refuses to remove the last etcd member', () => {
    const inv = writeInventory(state, { kube_control_plane: ['node1'], etcd: ['node5'], kube_node: ['node2', 'node3', 'node4', 'node5'] });
    const r = tsplay(['playbooks/remove-node.yml', '-i', inv, '-e', 'node=node5', ...yes], work);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/removing node5 would leave etcd without a member/);
  }, 60_000);

  it('removes an unreachable etcd worker from etcd without touching it (reset_nodes=false, allow_ungraceful_removal)', () => {
    // node5 dies: etcd down, no ssh
    expect(ssh(state, ipOf('node5'), 'systemctl stop etcd && systemctl stop ssh.socket ssh.service; true').code).toBe(0);
    expect(ssh(state, ipOf('node5'), 'true').code).not.toBe(0);
    const r = tsplay(['playbooks/remove-node.yml', '-i', inventory, '-e', 'node=node5', '-e', 'reset_nodes=false', '-e', 'allow_ungraceful_removal=true', ...yes], work);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    expect(recap(r.out).node5).toMatchObject({ failed: 0, unreachable: 0 });
    const view = etcdView(state, ipOf('node2'));
    expect(view.members).toEqual(['node1', 'node2', 'node3', 'node4']);
    expect(view.healthy, view.health).toHaveLength(4);
  }, 120_000);

  it('removes a reachable etcd worker: member removed, host reset, 3 healthy members left', () => {
    const r = tsplay(['playbooks/remove-node.yml', '-i', inventory, '-e', 'node=node4', ...yes], work);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    for (const h of AFTER_REMOVAL.etcd) {
      const view = etcdView(state, ipOf(h));
      expect(view.members).toEqual(AFTER_REMOVAL.etcd);
      expect(view.healthy, view.health).toEqual(AFTER_REMOVAL.etcd.map((n) => `https://${ipOf(n)}:2379`).sort());
    }
    // node4 was reset: no etcd, no containerd, no data
    expect(ssh(state, ipOf('node4'), 'systemctl is-active etcd containerd; ls /var/lib/etcd /etc/ssl/etcd /usr/local/bin/etcd 2>&1').out)
      .toMatch(/^inactive\ninactive\n(.*No such file or directory\n){3}$/);
  }, 120_000);
});

describe('reset.yml', () => {
  let inv: string;
  beforeAll(() => {
    inv = writeInventory(state, AFTER_REMOVAL);
  });

  it('without a terminal and without reset_confirmation it stops before any host changes', () => {
    const r = tsplay(['playbooks/reset.yml', '-i', inv], work);
    expect(r.code).toBe(2);
    expect(r.out).toContain('reset.yml was not confirmed, no host was changed');
    expect(r.out).not.toContain('PLAY [Reset cluster]');
    expect(etcdView(state, ipOf('node1')).healthy).toHaveLength(3);
  }, 60_000);

  it('removes what the cluster left (services, containers, mounts, data, links, its iptables chains) and keeps the rest', () => {
    const ip = ipOf('node3');
    installIptables(state, ip);
    const made = ssh(state, ip, `${NODE_LEFTOVERS} && ctr -n k8s.io run -d ${state.mirror!.ip}:5000/pause:3.10 lc-pause && echo made`);
    expect(made.out.trim().split('\n').pop(), made.out).toBe('made');
    const r = tsplay(['playbooks/reset.yml', '-i', inv, '-e', 'reset_confirmation=yes'], work);
    console.log(`reset.yml (3 hosts): ${r.seconds.toFixed(1)} s`);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    for (const h of AFTER_REMOVAL.etcd) {
      const left = ssh(state, ipOf(h), 'systemctl list-unit-files --no-legend etcd.service containerd.service kubelet.service | wc -l; '
        + 'ls -A /var/lib/containerd; ls -d /var/lib/etcd /etc/etcd.env /etc/ssl/etcd /etc/containerd /etc/kubernetes /opt/cni/bin /usr/local/bin/etcd /usr/local/bin/containerd /var/lib/tsplay/installed 2>/dev/null; '
        + 'ps -e -o comm= | grep -c -E "^(containerd|etcd|pause|kubelet)" || true; grep -c "tsplay inventory hosts" /etc/hosts || true');
      expect(left.out.trim().split('\n'), h).toEqual(['0', '0', '0']);
      // snapshots are the way back: reset keeps them
      expect(ssh(state, ipOf(h), 'ls -d /var/backups/etcd-* | wc -l').out.trim()).not.toBe('0');
    }
    const net = ssh(state, ip, 'ip -br link | cut -d" " -f1; findmnt -rn -o TARGET | grep -c kubelet || true; iptables-save | grep -E "^[:-]"').out;
    expect(net).not.toMatch(/cni0|flannel\.1|KUBE-|FLANNEL-|CNI-/);
    expect(net).toContain('-A INPUT -p tcp -m tcp --dport 22 -j OPERATOR-ALLOW');
    expect(net).toMatch(/^0$/m);
  }, 300_000);

  it('a second reset changes nothing', () => {
    const r = tsplay(['playbooks/reset.yml', '-i', inv, '-e', 'reset_confirmation=yes'], work);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    const rows = recap(r.out);
    expect(Object.keys(rows).sort()).toEqual(AFTER_REMOVAL.etcd);
    for (const [host, row] of Object.entries(rows)) expect([host, row.changed, row.failed]).toEqual([host, 0, 0]);
  }, 120_000);
});
