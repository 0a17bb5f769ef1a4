import type { Problem } from './problems.js';
import { problem } from './problems.js';

/** A Kubernetes version as kubeadm compares them: major.minor.patch (pre-release tags ignored). */
export interface KubeVersion {
  readonly text: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function parseKubeVersion(text: string): KubeVersion | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text.trim());
  return m ? { text: text.trim(), major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/** A node and a version (its kubelet's, status.nodeInfo.kubeletVersion, or its API server's). */
export interface NodeVersion {
  readonly name: string;
  readonly version: string;
}

export interface UpgradeInput {
  /** kube_version: what upgrade-cluster.yml installs. */
  readonly target: string;
  /** Each control plane's API server version now (its static pod manifest's image tag). */
  readonly controlPlanes: readonly NodeVersion[];
  readonly nodes: readonly NodeVersion[];
}

const order = (a: KubeVersion, b: KubeVersion): number => a.major - b.major || a.minor - b.minor || a.patch - b.patch;

/**
 * The cluster's version: the oldest control plane's (a half-finished upgrade leaves some at the
 * new version; the next step must start from the oldest).
 */
export function clusterVersion(controlPlanes: readonly NodeVersion[]): KubeVersion | undefined {
  const parsed = controlPlanes.map((c) => parseKubeVersion(c.version));
  if (parsed.length === 0 || parsed.some((v) => v === undefined)) return undefined;
  return (parsed as KubeVersion[]).sort(order)[0];
}

/** Like kubeadm's upgrade policy (MaximumAllowedMinorVersionUpgradeSkew / ...KubeletSkew). */
export const UPGRADE_POLICY = {
  /** `kubeadm upgrade apply` moves the control plane by at most one minor. */
  maxMinorStep: 1,
  /** A kubelet may be at most this many minors older than the API server (never newer). */
  maxKubeletSkew: 3,
} as const;

const minor = (v: KubeVersion): string => `v${v.major}.${v.minor}`;

function controlPlaneProblems(target: KubeVersion, server: KubeVersion): Problem[] {
  if (target.major !== server.major) {
    return [problem('kube_version', `${target.text} changes the major version of the cluster (${server.text})`, 'kubeadm upgrades within one major version only')];
  }
  const step = target.minor - server.minor;
  if (step > UPGRADE_POLICY.maxMinorStep) {
    const next = `v${server.major}.${server.minor + 1}.x`;
    return [problem('kube_version', `${server.text} → ${target.text} skips ${step - 1} minor version${step > 2 ? 's' : ''}; kubeadm upgrades one minor at a time`,
      `upgrade to ${next} first (set kube_version to a ${next} release and run upgrade-cluster.yml), then to ${target.text}`)];
  }
  if (step < 0 || (step === 0 && target.patch < server.patch)) {
    return [problem('kube_version', `${target.text} is older than the cluster (${server.text}): a downgrade`, `kube_version must be ${server.text} or newer (kubeadm does not downgrade a control plane)`)];
  }
  return [];
}

function kubeletProblems(target: KubeVersion, nodes: readonly NodeVersion[]): Problem[] {
  const out: Problem[] = [];
  const unreadable = nodes.filter((n) => !parseKubeVersion(n.version));
  if (unreadable.length > 0) out.push(problem('kube_version', `the kubelet version of ${unreadable.map((n) => `${n.name} ('${n.version}')`).join(', ')} cannot be read`, 'check the node with `kubectl get node NAME -o yaml` (status.nodeInfo.kubeletVersion)'));
  const parsed = nodes.flatMap((n) => { const v = parseKubeVersion(n.version); return v ? [{ name: n.name, v }] : []; });
  const newer = parsed.filter((n) => n.v.major === target.major && n.v.minor > target.minor);
  if (newer.length > 0) {
    out.push(problem('kube_version', `kubelets newer than ${target.text}: ${newer.map((n) => `${n.name} ${n.v.text}`).join(', ')}`, 'a kubelet is never newer than the API server: set kube_version to their minor or newer'));
  }
  const old = parsed.filter((n) => n.v.major !== target.major || target.minor - n.v.minor > UPGRADE_POLICY.maxKubeletSkew);
  if (old.length > 0) {
    out.push(problem('kube_version', `kubelets more than ${UPGRADE_POLICY.maxKubeletSkew} minors older than ${minor(target)}: ${old.map((n) => `${n.name} ${n.v.text}`).join(', ')}`,
      'upgrade those nodes step by step first (kubeadm rejects a kubelet skew above 3 minors)'));
  }
  return out;
}

/**
 * What kubeadm would reject, known before any host is touched: a skipped minor, a downgrade,
 * a major change, and kubelets that would end up newer than the API server or more than three
 * minors older. Empty when the upgrade may start.
 */
export function upgradeProblems(input: UpgradeInput): Problem[] {
  const target = parseKubeVersion(input.target);
  if (!target) return [problem('kube_version', `'${input.target}' is not a Kubernetes version`, 'write it like v1.33.8')];
  const server = clusterVersion(input.controlPlanes);
  if (!server) {
    const shown = input.controlPlanes.map((c) => `${c.name} '${c.version}'`).join(', ') || 'no control plane';
    return [problem('kube_version', `the cluster's current version cannot be read (${shown})`,
      'every control plane needs its API server manifest (/etc/kubernetes/manifests/kube-apiserver.yaml): is the cluster deployed (cluster.yml)?')];
  }
  // the control plane's step first: a wrong target makes every kubelet look skewed too
  const cp = controlPlaneProblems(target, server);
  return cp.length > 0 ? cp : kubeletProblems(target, input.nodes);
}

/** Nodes and kubelet versions from `kubectl get nodes -o json`. */
export function kubeletsFromKubectl(nodesJson: unknown): NodeVersion[] {
  const list = (typeof nodesJson === 'string' ? JSON.parse(nodesJson) : nodesJson ?? {}) as { items?: { metadata?: { name?: unknown }; status?: { nodeInfo?: { kubeletVersion?: unknown } } }[] };
  return (list.items ?? []).map((n) => ({ name: String(n.metadata?.name ?? '?'), version: String(n.status?.nodeInfo?.kubeletVersion ?? '') }));
}

/** The version in an API server manifest's image (`image: registry.k8s.io/kube-apiserver:v1.32.5`). */
export function apiserverImageVersion(manifest: string): string {
  return /^\s*(?:-\s+)?image:\s*\S*\/kube-apiserver:(v?\d+\.\d+\.\d+\S*)\s*$/m.exec(manifest)?.[1] ?? '';
}
