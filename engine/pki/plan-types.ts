import type { NodeAddr } from './sans.js';
import type { CaName } from './spec.js';
import type { LeafWant } from './validate.js';

/** Cluster-wide PKI parameters (what kubeadm reads from its ClusterConfiguration). */
export interface ClusterPki {
  readonly clusterName: string;
  readonly dnsDomain: string;
  readonly serviceSubnet: string;
  readonly controlPlaneEndpoint?: string;
  readonly apiserverPort: number;
  readonly controlPlanes: readonly NodeAddr[];
  readonly etcdMembers: readonly NodeAddr[];
  readonly certSans: readonly string[];
  readonly etcdCertAltNames: readonly string[];
  /** stacked: kubeadm static-pod etcd (etcd/ certs under the cert dir); host: Kubespray systemd etcd; external: none. */
  readonly etcdMode: EtcdMode;
  readonly caValidityDays: number;
  readonly certValidityDays: number;
  readonly certDir: string;
  readonly kubeconfigDir: string;
  readonly etcdCertDir: string;
}

export type EtcdMode = 'stacked' | 'host' | 'external';

export interface NodeRole {
  readonly node: NodeAddr;
  readonly controlPlane: boolean;
  readonly etcdMember: boolean;
}

/** Files as read from a host: absolute path -> content and permission bits. */
export type HostFiles = ReadonlyMap<string, { readonly content: string; readonly mode: number }>;

export interface KeyedCert {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Material generated once per cluster and distributed to every host (CAs and the SA key pair). */
export interface SharedPki {
  readonly cas: ReadonlyMap<CaName, KeyedCert>;
  readonly sa: { readonly keyPem: string; readonly pubPem: string };
}

/** A CA as this host will use it; without keyPem the host is in external-CA mode for it. */
export interface ResolvedCa {
  readonly certPem: string;
  readonly keyPem?: string;
}

export interface FileWrite {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
  readonly reason: string;
}

export interface ChmodFix {
  readonly path: string;
  readonly mode: number;
  readonly reason: string;
}

/** A certificate to (re)issue: a new key, signed by `ca`. */
export interface IssueJob {
  readonly name: string;
  readonly reason: string;
  readonly ca: CaName;
  readonly want: LeafWant;
  readonly output:
    | { readonly kind: 'pair'; readonly certPath: string; readonly keyPath: string }
    | { readonly kind: 'kubeconfig'; readonly path: string; readonly server: string; readonly clusterName: string };
}

export interface PkiPlan {
  readonly cas: ReadonlyMap<CaName, ResolvedCa>;
  readonly writes: readonly FileWrite[];
  readonly chmods: readonly ChmodFix[];
  readonly jobs: readonly IssueJob[];
  /** External-CA refusals and CA problems: the module fails with these, writing nothing. */
  readonly refusals: readonly string[];
}
