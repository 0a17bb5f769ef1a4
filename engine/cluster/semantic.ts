import { networkOf, broadcastOf, parseIp, type IpNet } from '../template/filters/ip.js';
import type { Problem } from './problems.js';
import { problem } from './problems.js';

export interface NodeAddr {
  readonly name: string;
  readonly ip: string;
}

/** Groups a cluster needs, and the etcd member count that keeps a quorum. */
export function groupProblems(groups: Readonly<Record<string, readonly string[]>>, etcdDeploymentType: string): Problem[] {
  const out: Problem[] = [];
  const required = ['kube_control_plane', 'kube_node', ...(etcdDeploymentType === 'kubeadm' ? [] : ['etcd'])];
  for (const g of required) {
    if ((groups[g] ?? []).length === 0) out.push(problem(`[${g}]`, 'has no hosts', `add at least one host to the ${g} group`));
  }
  const etcd = groups.etcd ?? [];
  if (etcdDeploymentType !== 'kubeadm' && etcd.length > 0 && etcd.length % 2 === 0) {
    out.push(problem('[etcd]', `has ${etcd.length} hosts (${etcd.join(', ')}): an even count gains no fault tolerance and can split`, `use an odd number of etcd members (1, 3 or 5)`));
  }
  return out;
}

function net(text: string): IpNet | undefined {
  const n = parseIp(text);
  return n && n.hasPrefix ? n : undefined;
}

const contains = (n: IpNet, ip: IpNet): boolean => n.version === ip.version && ip.ip >= networkOf(n) && ip.ip <= broadcastOf(n);
const overlaps = (a: IpNet, b: IpNet): boolean => a.version === b.version && networkOf(a) <= broadcastOf(b) && networkOf(b) <= broadcastOf(a);

/** Pod and service ranges: valid CIDRs, apart from each other and from every node address. */
export function cidrProblems(services: string, pods: string, nodePrefix: number, nodes: readonly NodeAddr[]): Problem[] {
  const out: Problem[] = [];
  const svc = net(services);
  const pod = net(pods);
  if (!svc) out.push(problem('kube_service_addresses', `'${services}' is not a CIDR`, 'write it like 10.233.0.0/18'));
  if (!pod) out.push(problem('kube_pods_subnet', `'${pods}' is not a CIDR`, 'write it like 10.233.64.0/18'));
  if (!svc || !pod) return out;
  if (overlaps(svc, pod)) {
    out.push(problem('kube_pods_subnet', `${pods} overlaps kube_service_addresses ${services}`, 'give pods and services separate ranges, e.g. 10.233.64.0/18 and 10.233.0.0/18'));
  }
  if (pod.version === 4 && nodePrefix < pod.prefix) {
    out.push(problem('kube_network_node_prefix', `/${nodePrefix} per node is larger than the whole pod range ${pods}`, 'use a longer prefix (e.g. 24) or a larger kube_pods_subnet'));
  }
  for (const [name, range] of [['kube_service_addresses', svc], ['kube_pods_subnet', pod]] as const) {
    const inside = nodes.filter((n) => { const ip = parseIp(n.ip); return ip !== undefined && contains(range, ip); });
    if (inside.length > 0) {
      out.push(problem(name, `${name === 'kube_pods_subnet' ? pods : services} contains node addresses (${inside.map((n) => `${n.name} ${n.ip}`).join(', ')})`, 'choose a range that no node address falls in'));
    }
  }
  return out;
}

function parts(v: string): number[] {
  return v.replace(/^v/, '').split('.').map(Number);
}

function cmp(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** kube_version between the oldest supported and the newest minor of the checksum table. */
export function versionProblems(version: string, min: string, max: string): Problem[] {
  if (!/^v\d+\.\d+\.\d+$/.test(version)) return [];
  const newestMinor = `v${parts(max)[0]}.${parts(max)[1]}.999999`;
  if (cmp(version, min) < 0 || cmp(version, newestMinor) > 0) {
    return [problem('kube_version', `${version} is outside the supported range ${min} to ${max.replace(/\.\d+$/, '.x')}`, 'pick a supported version (and give its checksums in kubectl_checksums)')];
  }
  return [];
}
