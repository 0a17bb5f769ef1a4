import { posix } from 'node:path';
import { parseKubeconfig, serverUrl } from './kubeconfig.js';
import { resolveCa, planServiceAccount, type CaPlacement } from './plan-cas.js';
import type { ChmodFix, ClusterPki, FileWrite, HostFiles, IssueJob, NodeRole, PkiPlan, ResolvedCa, SharedPki } from './plan-types.js';
import { apiserverSans, etcdHostSans, etcdMemberSans, sanSet } from './sans.js';
import {
  CA_SPECS, ETCD_HOST_CA, KUBECONFIG_SPECS, LEAF_SPECS, SA_FILES, commonName, etcdHostCertFiles,
  type CaName, type CertScope, type EtcdHostCertKind, type KubeconfigSpec, type LeafSpec, type SanRule,
} from './spec.js';
import { leafProblem, type LeafWant } from './validate.js';

/**
 * Decides, from what a host already has, which PKI files it needs: reuse what is valid,
 * reissue leaves that are missing or wrong (e.g. SANs no longer match), never touch a CA,
 * and refuse to sign anything for a CA whose key is absent (external-CA mode).
 * Pure: reads nothing, writes nothing; issue.ts turns the jobs into files.
 */
export function planNode(role: NodeRole, cluster: ClusterPki, host: HostFiles, shared: SharedPki | undefined, now: Date): PkiPlan {
  const acc: Acc = { cas: new Map(), writes: [], chmods: [], jobs: [], refusals: [] };
  if (role.controlPlane) planKubeadmTree(role, cluster, host, shared, now, acc);
  if (cluster.etcdMode === 'host' && (role.controlPlane || role.etcdMember)) planHostEtcd(role, cluster, host, shared, now, acc);
  return acc;
}

interface Acc {
  cas: Map<CaName, ResolvedCa>;
  writes: FileWrite[];
  chmods: ChmodFix[];
  jobs: IssueJob[];
  refusals: string[];
}

function inScope(scope: CertScope, cluster: ClusterPki): boolean {
  return scope === 'control-plane' || cluster.etcdMode === 'stacked';
}

function planKubeadmTree(role: NodeRole, cluster: ClusterPki, host: HostFiles, shared: SharedPki | undefined, now: Date, acc: Acc): void {
  const dir = cluster.certDir;
  for (const spec of CA_SPECS.filter((c) => inScope(c.scope, cluster))) {
    const placement = { name: spec.name, certPath: posix.join(dir, `${spec.file}.crt`), keyPath: posix.join(dir, `${spec.file}.key`), distributeKey: true };
    addCa(placement, host, shared, acc);
  }
  const sa = planServiceAccount(posix.join(dir, SA_FILES.key), posix.join(dir, SA_FILES.pub), host, shared);
  if (sa.kind === 'refused') acc.refusals.push(sa.message);
  else acc.writes.push(...sa.writes);
  keyModeFix(posix.join(dir, SA_FILES.key), host, acc);
  for (const spec of LEAF_SPECS.filter((l) => inScope(l.scope, cluster))) planLeaf(spec, role, cluster, host, now, acc);
  for (const spec of KUBECONFIG_SPECS) planKubeconfig(spec, role, cluster, host, now, acc);
}

function addCa(p: CaPlacement, host: HostFiles, shared: SharedPki | undefined, acc: Acc): void {
  const out = resolveCa(p, host, shared);
  if (out.kind === 'refused') {
    acc.refusals.push(out.message);
    return;
  }
  acc.cas.set(p.name, out.ca);
  acc.writes.push(...out.writes);
  if (p.distributeKey) keyModeFix(p.keyPath, host, acc);
}

function sansFor(rule: SanRule, role: NodeRole, cluster: ClusterPki) {
  switch (rule) {
    case 'none':
      return sanSet([]);
    case 'apiserver':
      return apiserverSans({
        node: role.node, controlPlanes: cluster.controlPlanes, dnsDomain: cluster.dnsDomain, serviceSubnet: cluster.serviceSubnet,
        controlPlaneEndpoint: cluster.controlPlaneEndpoint, extraSans: cluster.certSans,
      });
    case 'etcd-member':
      return etcdMemberSans(role.node);
  }
}

function planLeaf(spec: LeafSpec, role: NodeRole, cluster: ClusterPki, host: HostFiles, now: Date, acc: Acc): void {
  const certPath = posix.join(cluster.certDir, `${spec.file}.crt`);
  const keyPath = posix.join(cluster.certDir, `${spec.file}.key`);
  const want: LeafWant = { cn: commonName(spec.cn, role.node.name), org: spec.org, ekus: spec.ekus, sans: sansFor(spec.sans, role, cluster) };
  planPair(spec.name, spec.ca, want, certPath, keyPath, host, now, acc);
}

function planPair(name: string, caName: CaName, want: LeafWant, certPath: string, keyPath: string, host: HostFiles, now: Date, acc: Acc): void {
  const ca = acc.cas.get(caName);
  if (!ca) return; // the CA itself was refused; that message already explains it
  const problem = leafProblem(host.get(certPath)?.content, host.get(keyPath)?.content, want, ca.certPem, now);
  if (problem === undefined) {
    keyModeFix(keyPath, host, acc);
    return;
  }
  if (ca.keyPem === undefined) {
    acc.refusals.push(externalRefusal(name, caName, problem, `${certPath} and ${keyPath}`));
    return;
  }
  acc.jobs.push({ name, reason: problem, ca: caName, want, output: { kind: 'pair', certPath, keyPath } });
}

function externalRefusal(name: string, caName: CaName, problem: string, files: string): string {
  return `${name}: ${problem}, but ${caName} is external (its certificate is present without its key), ` +
    `so tsplay will not sign a new one; provide ${files} signed by your CA`;
}

function planKubeconfig(spec: KubeconfigSpec, role: NodeRole, cluster: ClusterPki, host: HostFiles, now: Date, acc: Acc): void {
  const ca = acc.cas.get('ca');
  if (!ca) return;
  const path = posix.join(cluster.kubeconfigDir, spec.file);
  const localEndpoint = role.node.ip;
  const endpoint = spec.server === 'local-endpoint' ? localEndpoint : (cluster.controlPlaneEndpoint ?? localEndpoint);
  const server = serverUrl(endpoint, cluster.apiserverPort);
  const want: LeafWant = { cn: commonName(spec.cn, role.node.name), org: spec.org, ekus: ['clientAuth'], sans: sanSet([]) };
  const problem = kubeconfigProblem(host.get(path)?.content, spec, want, ca, server, now);
  if (problem === undefined) return keyModeFix(path, host, acc);
  if (ca.keyPem === undefined) {
    acc.refusals.push(externalRefusal(spec.name, 'ca', problem, path));
    return;
  }
  acc.jobs.push({ name: spec.name, reason: problem, ca: 'ca', want, output: { kind: 'kubeconfig', path, server, clusterName: cluster.clusterName } });
}

function kubeconfigProblem(text: string | undefined, spec: KubeconfigSpec, want: LeafWant, ca: ResolvedCa, server: string, now: Date): string | undefined {
  if (text === undefined) return 'missing';
  let parsed;
  try {
    parsed = parseKubeconfig(text);
  } catch {
    return 'unreadable kubeconfig';
  }
  if (parsed.server !== server) return `server changed (${parsed.server} -> ${server})`;
  if (parsed.caPem === undefined || parsed.caPem.replace(/\s+/g, '') !== ca.certPem.replace(/\s+/g, '')) return 'CA changed';
  // after TLS bootstrap the kubelet points at its own rotated cert file: not ours to judge
  if (spec.name === 'kubelet.conf' && parsed.certPem === undefined) return undefined;
  return leafProblem(parsed.certPem, parsed.keyPem, want, ca.certPem, now);
}

/** Private keys must be 0600; a wrong mode is fixed without reissuing. */
function keyModeFix(path: string, host: HostFiles, acc: Acc): void {
  const f = host.get(path);
  if (f && (f.mode & 0o777) !== 0o600) acc.chmods.push({ path, mode: 0o600, reason: `mode ${(f.mode & 0o777).toString(8)} -> 600` });
}

function planHostEtcd(role: NodeRole, cluster: ClusterPki, host: HostFiles, shared: SharedPki | undefined, now: Date, acc: Acc): void {
  const dir = cluster.etcdCertDir;
  const placement = { name: 'etcd-ca' as const, certPath: posix.join(dir, ETCD_HOST_CA.cert), keyPath: posix.join(dir, ETCD_HOST_CA.key), distributeKey: role.etcdMember };
  addCa(placement, host, shared, acc);
  const kinds: EtcdHostCertKind[] = [...(role.etcdMember ? (['member', 'admin'] as const) : []), ...(role.controlPlane ? (['node'] as const) : [])];
  const sans = etcdHostSans(cluster.etcdMembers, cluster.etcdCertAltNames);
  for (const kind of kinds) {
    const files = etcdHostCertFiles(kind, role.node.name);
    const want: LeafWant = { cn: `etcd-${kind}-${role.node.name}`, org: [], ekus: ['serverAuth', 'clientAuth'], sans };
    planPair(`etcd-${kind}-${role.node.name}`, 'etcd-ca', want, posix.join(dir, files.cert), posix.join(dir, files.key), host, now, acc);
  }
}
