/**
 * The kubeadm certificate tree as data. One row per certificate; the generator, the module,
 * check-expiration and renew all fold over these tables, so adding a certificate is one row.
 *
 * Values follow kubeadm (cmd/kubeadm/app/phases/certs/certlist.go and kubeconfig phase):
 * - CAs: self-signed, keyUsage digitalSignature+keyEncipherment+keyCertSign, CA:TRUE,
 *   the CN repeated as a DNS SAN (kubeadm does this since 1.19), 10 years.
 * - leaves: keyUsage digitalSignature+keyEncipherment, CA:FALSE, one year.
 * - apiserver-kubelet-client and admin.conf carry O=kubeadm:cluster-admins (kubeadm >= 1.29;
 *   before that system:masters); super-admin.conf keeps system:masters (break-glass user).
 */

export type CaName = 'ca' | 'front-proxy-ca' | 'etcd-ca';
export type ExtKeyUsage = 'serverAuth' | 'clientAuth';
/** Which SAN rule a leaf uses (see sans.ts). */
export type SanRule = 'none' | 'apiserver' | 'etcd-member';
/** Which hosts carry a certificate: every control plane, or only when etcd is stacked (kubeadm static pod). */
export type CertScope = 'control-plane' | 'stacked-etcd';
/** A subject CN: a fixed string, or the node's name. */
export type CommonName = { readonly fixed: string } | { readonly node: true; readonly prefix?: string };

export interface CaSpec {
  readonly name: CaName;
  /** Path under the cert dir without extension: <file>.crt and <file>.key. */
  readonly file: string;
  readonly cn: string;
  readonly scope: CertScope;
}

export interface LeafSpec {
  /** kubeadm's name, as printed by `kubeadm certs check-expiration` and accepted by `certs renew`. */
  readonly name: string;
  readonly file: string;
  readonly ca: CaName;
  readonly cn: CommonName;
  readonly org: readonly string[];
  readonly ekus: readonly ExtKeyUsage[];
  readonly sans: SanRule;
  readonly scope: CertScope;
}

/** Which server a kubeconfig points at: kubeadm uses the local API endpoint for the controller-manager and scheduler. */
export type ServerRule = 'control-plane-endpoint' | 'local-endpoint';

export interface KubeconfigSpec {
  readonly name: string;
  readonly file: string;
  readonly cn: CommonName;
  readonly org: readonly string[];
  readonly server: ServerRule;
  /** kubeadm's check-expiration and `renew all` skip kubelet.conf (the kubelet rotates its own client cert). */
  readonly renewable: boolean;
}

export const CA_SPECS: readonly CaSpec[] = [
  { name: 'ca', file: 'ca', cn: 'kubernetes', scope: 'control-plane' },
  { name: 'etcd-ca', file: 'etcd/ca', cn: 'etcd-ca', scope: 'stacked-etcd' },
  { name: 'front-proxy-ca', file: 'front-proxy-ca', cn: 'front-proxy-ca', scope: 'control-plane' },
];

export const LEAF_SPECS: readonly LeafSpec[] = [
  { name: 'apiserver', file: 'apiserver', ca: 'ca', cn: { fixed: 'kube-apiserver' }, org: [], ekus: ['serverAuth'], sans: 'apiserver', scope: 'control-plane' },
  { name: 'apiserver-etcd-client', file: 'apiserver-etcd-client', ca: 'etcd-ca', cn: { fixed: 'kube-apiserver-etcd-client' }, org: [], ekus: ['clientAuth'], sans: 'none', scope: 'stacked-etcd' },
  { name: 'apiserver-kubelet-client', file: 'apiserver-kubelet-client', ca: 'ca', cn: { fixed: 'kube-apiserver-kubelet-client' }, org: ['kubeadm:cluster-admins'], ekus: ['clientAuth'], sans: 'none', scope: 'control-plane' },
  { name: 'etcd-healthcheck-client', file: 'etcd/healthcheck-client', ca: 'etcd-ca', cn: { fixed: 'kube-etcd-healthcheck-client' }, org: [], ekus: ['clientAuth'], sans: 'none', scope: 'stacked-etcd' },
  { name: 'etcd-peer', file: 'etcd/peer', ca: 'etcd-ca', cn: { node: true }, org: [], ekus: ['serverAuth', 'clientAuth'], sans: 'etcd-member', scope: 'stacked-etcd' },
  { name: 'etcd-server', file: 'etcd/server', ca: 'etcd-ca', cn: { node: true }, org: [], ekus: ['serverAuth', 'clientAuth'], sans: 'etcd-member', scope: 'stacked-etcd' },
  { name: 'front-proxy-client', file: 'front-proxy-client', ca: 'front-proxy-ca', cn: { fixed: 'front-proxy-client' }, org: [], ekus: ['clientAuth'], sans: 'none', scope: 'control-plane' },
];

/** All kubeconfig client certs are signed by the cluster CA with EKU clientAuth. */
export const KUBECONFIG_SPECS: readonly KubeconfigSpec[] = [
  { name: 'admin.conf', file: 'admin.conf', cn: { fixed: 'kubernetes-admin' }, org: ['kubeadm:cluster-admins'], server: 'control-plane-endpoint', renewable: true },
  { name: 'controller-manager.conf', file: 'controller-manager.conf', cn: { fixed: 'system:kube-controller-manager' }, org: [], server: 'local-endpoint', renewable: true },
  { name: 'kubelet.conf', file: 'kubelet.conf', cn: { node: true, prefix: 'system:node:' }, org: ['system:nodes'], server: 'control-plane-endpoint', renewable: false },
  { name: 'scheduler.conf', file: 'scheduler.conf', cn: { fixed: 'system:kube-scheduler' }, org: [], server: 'local-endpoint', renewable: true },
  { name: 'super-admin.conf', file: 'super-admin.conf', cn: { fixed: 'kubernetes-super-admin' }, org: ['system:masters'], server: 'control-plane-endpoint', renewable: true },
];

/** The service-account signing pair: a key pair, no certificate (sa.key PKCS#1, sa.pub PKIX). */
export const SA_FILES = { key: 'sa.key', pub: 'sa.pub' } as const;

export const DAY_MS = 24 * 60 * 60 * 1000;
/** kubeadm: CACertificateValidityPeriod = 10 x 365 days, CertificateValidityPeriod = 365 days. */
export const DEFAULT_CA_VALIDITY_DAYS = 3650;
export const DEFAULT_CERT_VALIDITY_DAYS = 365;
/** kubeadm backdates NotBefore by 5 minutes to tolerate clock skew between nodes. */
export const BACKDATE_MS = 5 * 60 * 1000;

/**
 * Kubespray's layout when etcd runs as a systemd unit (etcd_deployment_type: host), made by its
 * make-ssl-etcd.sh: ca.pem/ca-key.pem, and per host member-, admin- (etcd members) and node-
 * (control planes, used by the apiserver as its etcd client) certificates. All leaves are
 * serverAuth+clientAuth with every etcd member in their SANs (openssl.conf [ssl_client]).
 */
export type EtcdHostCertKind = 'member' | 'admin' | 'node';
export const ETCD_HOST_CA = { cert: 'ca.pem', key: 'ca-key.pem' } as const;
export const ETCD_HOST_KINDS: readonly EtcdHostCertKind[] = ['member', 'admin', 'node'];
export const DEFAULT_ETCD_CERT_DIR = '/etc/ssl/etcd/ssl';
export const DEFAULT_CERT_DIR = '/etc/kubernetes/pki';
export const DEFAULT_KUBECONFIG_DIR = '/etc/kubernetes';

export function etcdHostCertFiles(kind: EtcdHostCertKind, host: string): { cert: string; key: string } {
  return { cert: `${kind}-${host}.pem`, key: `${kind}-${host}-key.pem` };
}

export function commonName(cn: CommonName, nodeName: string): string {
  return 'fixed' in cn ? cn.fixed : `${cn.prefix ?? ''}${nodeName}`;
}

export function caSpec(name: CaName): CaSpec {
  const found = CA_SPECS.find((c) => c.name === name);
  if (!found) throw new Error(`unknown CA ${name}`);
  return found;
}
