import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabState } from '../../../engine/lab/index.js';
import { ssh } from '../cluster/cluster-helpers.js';

/** The lifecycle suite's cluster: two control planes, five etcd members, three workers. */
export interface Layout {
  readonly kube_control_plane: readonly string[];
  readonly etcd: readonly string[];
  readonly kube_node: readonly string[];
}

/**
 * An inventory folder of its own: the lab's host lines and group_vars (mirror, stand-ins),
 * with this suite's groups. Rewritten when the layout changes (nodes removed).
 */
export function writeInventory(state: LabState, layout: Layout, dir = mkdtempSync(join(tmpdir(), 'tsplay-lc-inv-'))): string {
  cpSync(join(state.stateDir, 'group_vars'), join(dir, 'group_vars'), { recursive: true });
  const head = readFileSync(state.inventory, 'utf8').split('[kube_control_plane]')[0]!;
  const groups = Object.entries(layout).map(([g, hosts]) => `[${g}]\n${(hosts as string[]).join('\n')}\n`).join('\n');
  writeFileSync(join(dir, 'inventory.ini'), `${head}${groups}\n[k8s_cluster:children]\nkube_control_plane\nkube_node\n`);
  return join(dir, 'inventory.ini');
}

/** `etcdctl member list` names and `endpoint health --cluster` lines, asked on one member. */
export function etcdView(state: LabState, ip: string): { members: string[]; healthy: string[]; health: string } {
  const members = ssh(state, ip, 'etcdctl.sh member list').out.trim().split('\n').filter((l) => l !== '').map((l) => l.split(', ')[2]!).sort();
  const health = ssh(state, ip, 'etcdctl.sh endpoint health --cluster 2>&1').out;
  return { members, healthy: [...health.matchAll(/^(https:\/\/\S+) is healthy/gm)].map((m) => m[1]!).sort(), health };
}

/**
 * The machine's own iptables (nft backend) copied into a lab host, which has none: the
 * lab root filesystem is the same Debian release, so the binaries and libraries fit. What
 * kube-proxy and flannel would create is then made with the real tool.
 */
export function installIptables(state: LabState, ip: string): void {
  const list = spawnSync('dpkg', ['-L', 'iptables', 'libxtables12', 'libnftnl11', 'libmnl0'], { encoding: 'utf8' }).stdout.split('\n')
    // files only (a symlink to a file is archived as the link): a directory entry such as /lib
    // would replace the host's /lib -> usr/lib symlink
    .filter((f) => /^\/(usr\/)?(s?bin|lib)\//.test(f) && existsSync(f) && statSync(f).isFile());
  const tar = spawnSync('tar', ['-C', '/', '-cf', '-', ...list.map((f) => f.slice(1))], { maxBuffer: 64 << 20 });
  const links = ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore']
    .map((c) => `ln -sf xtables-nft-multi /usr/sbin/${c}`).join('; ');
  const r = spawnSync('ssh', ['-i', state.privateKey, '-o', `UserKnownHostsFile=${state.knownHosts}`, '-o', 'BatchMode=yes', `root@${ip}`,
    `tar -C / -xf - && ${links} && iptables --version`], { input: tar.stdout, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`iptables into ${ip}: ${r.stderr}`);
}

/** What kube-proxy, flannel, the CNI and the kubelet leave on a node, made for real on a lab host. */
export const NODE_LEFTOVERS = [
  'iptables -N KUBE-SERVICES', 'iptables -A INPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES', 'iptables -A KUBE-SERVICES -j RETURN',
  'iptables -t nat -N FLANNEL-POSTRTG', 'iptables -t nat -A POSTROUTING -s 10.233.64.0/18 -j FLANNEL-POSTRTG',
  'iptables -t nat -N CNI-4f2b', 'iptables -t nat -A POSTROUTING -s 10.233.64.2 -j CNI-4f2b',
  // the operator's own rules: reset keeps them
  'iptables -N OPERATOR-ALLOW', 'iptables -A INPUT -p tcp --dport 22 -j OPERATOR-ALLOW',
  'ip link add cni0 type bridge', 'ip link add flannel.1 type vxlan id 1 dstport 8472 dev eth0',
  'mkdir -p /var/lib/kubelet/pods/p1/volumes/kubernetes.io~empty-dir/cache',
  'mount -t tmpfs tmpfs /var/lib/kubelet/pods/p1/volumes/kubernetes.io~empty-dir/cache',
].join(' && ');

/** (task, host) in the order tsplay printed their results: the run's own order across hosts. */
export function resultOrder(out: string): { task: string; host: string; status: string }[] {
  const events: { task: string; host: string; status: string }[] = [];
  let task = '';
  for (const line of out.split('\n')) {
    const t = /^TASK \[(.*)\] \**$/.exec(line);
    if (t) task = t[1]!;
    const r = /^(ok|changed|failed|fatal|skipping): \[([^\]\s]+)(?: -> [^\]]+)?\]/.exec(line);
    if (r && task) events.push({ task, host: r[2]!, status: r[1]! });
  }
  return events;
}

/** Index of the first result of a task (matched by a piece of its name) on a host that did run. */
export function firstRun(events: ReturnType<typeof resultOrder>, taskPart: string, host: string): number {
  return events.findIndex((e) => e.task.includes(taskPart) && e.host === host && e.status !== 'skipping');
}
