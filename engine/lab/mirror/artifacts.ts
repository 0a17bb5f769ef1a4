/**
 * What the lab's file mirror serves, as data: each Debian package is re-packed the way the
 * upstream project releases it, at the upstream URL path below files_repo (Kubespray's
 * convention: the upstream host is the first folder). Versions come from the packages.
 */
export type Layout =
  /** a tar.gz with the binaries in `dir/` (dir may be '' for a flat archive) */
  | { readonly kind: 'tar'; readonly dir: string }
  /** one bare binary */
  | { readonly kind: 'binary' };

export interface ArtifactSpec {
  /** Kubespray's component name: <component>_version, <component>_download_url ... */
  readonly component: string;
  /** Debian packages whose files go in (downloaded with apt-get download, never installed). */
  readonly debs: readonly string[];
  /** Paths inside the packages to take (their basenames end up in the archive). */
  readonly files: readonly string[];
  /** Version string as Kubespray writes it for this component (some carry a leading v). */
  readonly versionStyle: 'v' | 'bare';
  /** URL path below files_repo for version V (without leading v) and architecture A. */
  readonly path: (v: string, arch: string) => string;
  readonly layout: (v: string, arch: string) => Layout;
}

const CNI_PLUGINS = ['bandwidth', 'bridge', 'dhcp', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback',
  'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tuning', 'vlan', 'vrf'];

export const ARTIFACTS: readonly ArtifactSpec[] = [
  {
    component: 'etcd', debs: ['etcd-server', 'etcd-client'], files: ['usr/bin/etcd', 'usr/bin/etcdctl'], versionStyle: 'v',
    path: (v, a) => `github.com/etcd-io/etcd/releases/download/v${v}/etcd-v${v}-linux-${a}.tar.gz`,
    layout: (v, a) => ({ kind: 'tar', dir: `etcd-v${v}-linux-${a}` }),
  },
  {
    component: 'containerd', debs: ['containerd'], versionStyle: 'bare',
    files: ['usr/bin/containerd', 'usr/bin/containerd-shim', 'usr/bin/containerd-shim-runc-v1', 'usr/bin/containerd-shim-runc-v2', 'usr/bin/ctr'],
    path: (v, a) => `github.com/containerd/containerd/releases/download/v${v}/containerd-${v}-linux-${a}.tar.gz`,
    layout: () => ({ kind: 'tar', dir: 'bin' }),
  },
  {
    component: 'runc', debs: ['runc'], files: ['usr/sbin/runc'], versionStyle: 'v',
    path: (v, a) => `github.com/opencontainers/runc/releases/download/v${v}/runc.${a}`,
    layout: () => ({ kind: 'binary' }),
  },
  {
    component: 'cni', debs: ['containernetworking-plugins'], files: CNI_PLUGINS.map((p) => `usr/lib/cni/${p}`), versionStyle: 'v',
    path: (v, a) => `github.com/containernetworking/plugins/releases/download/v${v}/cni-plugins-linux-${a}-v${v}.tgz`,
    layout: () => ({ kind: 'tar', dir: '' }),
  },
];

/** Packages the mirror host itself runs (extracted into its root, never installed on the controller). */
export const MIRROR_SERVERS: readonly { readonly deb: string; readonly binary: string }[] = [
  { deb: 'nginx', binary: 'usr/sbin/nginx' },
  { deb: 'docker-registry', binary: 'usr/bin/docker-registry' },
];

/** kubectl is no Debian package here: the machine's own binary, when there is one. */
export const KUBECTL_PATH = (v: string, a: string): string => `dl.k8s.io/release/v${v}/bin/linux/${a}/kubectl`;

/** `1:3.4.23-4+b4` → `3.4.23`: the upstream version inside a Debian version. */
export function upstreamVersion(debVersion: string): string {
  const noEpoch = debVersion.replace(/^\d+:/, '');
  const m = /^(\d+\.\d+\.\d+)/.exec(noEpoch);
  if (!m) throw new Error(`unexpected Debian version '${debVersion}'`);
  return m[1];
}
