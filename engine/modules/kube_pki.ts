import { toBool as ansibleBool } from '../python/boolean.js';
import { posix } from 'node:path';
import { ModuleArgsError } from '../errors/index.js';
import { materialize } from '../pki/issue.js';
import { planNode } from '../pki/plan.js';
import type { ClusterPki, EtcdMode, FileWrite, HostFiles, KeyedCert, NodeRole, PkiPlan } from '../pki/plan-types.js';
import { readRemoteFiles, writeRemoteFiles } from '../pki/remote.js';
import type { NodeAddr } from '../pki/sans.js';
import {
  CA_SPECS, DEFAULT_CA_VALIDITY_DAYS, DEFAULT_CERT_DIR, DEFAULT_CERT_VALIDITY_DAYS, DEFAULT_ETCD_CERT_DIR,
  DEFAULT_KUBECONFIG_DIR, ETCD_HOST_CA, SA_FILES, type CaName,
} from '../pki/spec.js';
import { ensureShared, type Seeds } from '../pki/store.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';

/**
 * kube_pki: the kubeadm certificate tree (and Kubespray's host-etcd certs) for one host.
 *
 * Arguments:
 *   node_name            this host's node name (default: inventory_hostname)
 *   node_ip              this host's address (apiserver/etcd SANs, local API endpoint)   [required]
 *   control_plane        bool: write /etc/kubernetes/pki + kubeconfigs (default true)
 *   etcd_member          bool: this host runs etcd (host mode: member-/admin- certs) (default false)
 *   etcd_mode            stacked (kubeadm static pod) | host (Kubespray systemd) | external (default stacked)
 *   control_planes       [{name, ip}] every control plane (their names/IPs go into apiserver SANs)
 *   etcd_members         [{name, ip}] every etcd member (host-mode etcd SANs)
 *   control_plane_endpoint  host[:port] used by admin/kubelet kubeconfigs and as a SAN
 *   apiserver_port       default 6443
 *   cluster_name         default kubernetes
 *   dns_domain           default cluster.local
 *   service_subnet       default 10.96.0.0/12 (comma-separated for dual stack); first IP is a SAN
 *   cert_sans            extra apiserver SANs (names or IPs)
 *   etcd_cert_alt_names  extra host-mode etcd SANs
 *   ca_validity_days     default 3650;  cert_validity_days  default 365
 *   cert_dir             default /etc/kubernetes/pki; kubeconfig_dir default /etc/kubernetes
 *   etcd_cert_dir        default /etc/ssl/etcd/ssl
 *   store_dir            controller directory holding the cluster's CAs and SA key (generated once,
 *                        distributed to every host); default {{ inventory_dir }}/credentials/pki
 *
 * Plans first from ONE remote read, then writes only what is missing or invalid (atomic renames).
 * CAs on a host are never overwritten; a CA certificate without its key is external-CA mode:
 * existing leaves are kept and the module fails rather than sign anything new.
 */
const NODE = { type: 'object', required: ['name', 'ip'], additionalProperties: false, properties: { name: { type: 'string' }, ip: { type: 'string' } } };
const NUM = { type: ['integer', 'string'] };
const BOOLISH = { type: ['boolean', 'string'] };
const STRS = { type: 'array', items: { type: 'string' } };

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['node_ip'],
  properties: {
    node_name: { type: 'string' }, node_ip: { type: 'string' }, control_plane: BOOLISH, etcd_member: BOOLISH,
    etcd_mode: { enum: ['stacked', 'host', 'external'] },
    control_planes: { type: 'array', items: NODE }, etcd_members: { type: 'array', items: NODE },
    control_plane_endpoint: { type: 'string' }, apiserver_port: NUM, cluster_name: { type: 'string' },
    dns_domain: { type: 'string' }, service_subnet: { type: 'string' }, cert_sans: STRS, etcd_cert_alt_names: STRS,
    ca_validity_days: NUM, cert_validity_days: NUM, cert_dir: { type: 'string' }, kubeconfig_dir: { type: 'string' },
    etcd_cert_dir: { type: 'string' }, store_dir: { type: 'string' },
  },
} as const;

interface Parsed {
  readonly cluster: ClusterPki;
  readonly role: NodeRole;
  readonly storeDir: string;
}

function toBool(v: unknown, dflt: boolean): boolean {
  return v === undefined ? dflt : ansibleBool(v);
}

function toInt(ctx: ModuleContext, key: string, dflt: number): number {
  const v = ctx.args[key];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new ModuleArgsError(`argument '${key}' must be a positive integer, got ${JSON.stringify(v)}`, { where: ctx.loc });
  return n;
}

function parseArgs(ctx: ModuleContext): Parsed {
  const a = ctx.args;
  const s = (k: string, d: string): string => (typeof a[k] === 'string' ? (a[k] as string) : d);
  const node: NodeAddr = { name: s('node_name', ctx.host), ip: s('node_ip', '') };
  const inventoryDir = ctx.vars.inventory_dir;
  const storeDir = typeof a.store_dir === 'string' ? a.store_dir : typeof inventoryDir === 'string' ? posix.join(inventoryDir, 'credentials', 'pki') : '';
  if (storeDir === '') throw new ModuleArgsError('kube_pki needs store_dir (no inventory_dir to default to)', { where: ctx.loc, hint: 'set store_dir to a controller directory for the cluster CAs' });
  const controlPlanes = (a.control_planes as NodeAddr[] | undefined) ?? [node];
  const cluster: ClusterPki = {
    clusterName: s('cluster_name', 'kubernetes'), dnsDomain: s('dns_domain', 'cluster.local'), serviceSubnet: s('service_subnet', '10.96.0.0/12'),
    controlPlaneEndpoint: typeof a.control_plane_endpoint === 'string' && a.control_plane_endpoint !== '' ? a.control_plane_endpoint : undefined,
    apiserverPort: toInt(ctx, 'apiserver_port', 6443), controlPlanes, etcdMembers: (a.etcd_members as NodeAddr[] | undefined) ?? controlPlanes,
    certSans: (a.cert_sans as string[] | undefined) ?? [], etcdCertAltNames: (a.etcd_cert_alt_names as string[] | undefined) ?? [],
    etcdMode: s('etcd_mode', 'stacked') as EtcdMode,
    caValidityDays: toInt(ctx, 'ca_validity_days', DEFAULT_CA_VALIDITY_DAYS), certValidityDays: toInt(ctx, 'cert_validity_days', DEFAULT_CERT_VALIDITY_DAYS),
    certDir: s('cert_dir', DEFAULT_CERT_DIR), kubeconfigDir: s('kubeconfig_dir', DEFAULT_KUBECONFIG_DIR), etcdCertDir: s('etcd_cert_dir', DEFAULT_ETCD_CERT_DIR),
  };
  return { cluster, role: { node, controlPlane: toBool(a.control_plane, true), etcdMember: toBool(a.etcd_member, false) }, storeDir };
}

/** CAs (with keys) and the SA pair already on the host seed an empty store: adopting a cluster never mints a second CA. */
function seedsFrom(host: HostFiles, c: ClusterPki): Seeds {
  const cas = new Map<CaName, KeyedCert>();
  const get = (p: string): string | undefined => host.get(p)?.content;
  for (const spec of CA_SPECS) {
    const certPem = get(posix.join(c.certDir, `${spec.file}.crt`));
    const keyPem = get(posix.join(c.certDir, `${spec.file}.key`));
    if (certPem && keyPem) cas.set(spec.name, { certPem, keyPem });
  }
  const etcdCert = get(posix.join(c.etcdCertDir, ETCD_HOST_CA.cert));
  const etcdKey = get(posix.join(c.etcdCertDir, ETCD_HOST_CA.key));
  if (!cas.has('etcd-ca') && etcdCert && etcdKey) cas.set('etcd-ca', { certPem: etcdCert, keyPem: etcdKey });
  const saKey = get(posix.join(c.certDir, SA_FILES.key));
  const saPub = get(posix.join(c.certDir, SA_FILES.pub));
  return { cas, sa: saKey && saPub ? { keyPem: saKey, pubPem: saPub } : undefined };
}

function plannedWrites(plan: PkiPlan): FileWrite[] {
  const reasonOf = (r: string): string => (r === 'missing' ? 'created' : `reissued: ${r}`);
  return [...plan.writes, ...plan.jobs.flatMap((j) => {
    const paths = j.output.kind === 'pair' ? [j.output.certPath, j.output.keyPath] : [j.output.path];
    return paths.map((path) => ({ path, content: '', mode: 0o600, reason: reasonOf(j.reason) }));
  })];
}

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const { cluster, role, storeDir } = parseArgs(ctx);
  const host = await ctx.probe((h) => readRemoteFiles(h.connection, [
    { dir: cluster.certDir, depth: 2 }, { dir: cluster.kubeconfigDir, depth: 1 }, { dir: cluster.etcdCertDir, depth: 1 },
  ], h.become));
  const now = new Date();
  // the controller's CA store is a change too: check mode neither creates nor saves CAs there
  const apply = ctx.mayChange(`keep the cluster CAs in ${storeDir}`);
  const shared = await ensureShared(storeDir, seedsFrom(host, cluster), cluster, now, apply);
  const plan = planNode(role, cluster, host, shared, now);
  if (plan.refusals.length > 0) return { changed: false, failed: true, msg: plan.refusals.join('\n') };
  // check mode lists what would change without spending time on key generation
  const writes: readonly FileWrite[] = apply ? await materialize(plan, cluster, now) : plannedWrites(plan);
  const files = [...writes.map((w) => ({ path: w.path, reason: w.reason })), ...plan.chmods.map((c) => ({ path: c.path, reason: c.reason }))];
  const changed = files.length > 0;
  const done = changed ? await ctx.change(`write ${files.length} PKI file(s)`, (h) => writeRemoteFiles(h.connection, writes, plan.chmods, h.become)) : { applied: false };
  for (const f of files) ctx.log(1, `${f.path}: ${f.reason}`);
  return { changed, files, msg: changed ? `${files.length} PKI file(s) ${done.applied ? 'written' : 'would change'}` : 'PKI up to date' };
}

export const kube_pki: ModuleDef = {
  name: 'kube_pki',
  schema: SCHEMA,
  supportsCheck: true,
  run,
};
