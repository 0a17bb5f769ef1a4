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

/** One node's kubelet as the API reports it (status.nodeInfo.kubeletVersion). */
export interface NodeVersion {
  readonly name: string;
  readonly kubelet: string;
}

export interface UpgradeInput {
  /** kube_version: what upgrade-cluster.yml installs. */
  readonly target: string;
  /** The API server's version now (serverVersion.gitVersion). */
  readonly server: string;
  readonly nodes: readonly NodeVersion[];
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
  const unreadable = nodes.filter((n) => !parseKubeVersion(n.kubelet));
  if (unreadable.length > 0) out.push(problem('kube_version', `the kubelet version of ${unreadable.map((n) => `${n.name} ('${n.kubelet}')`).join(', ')} cannot be read`, 'check the node with `kubectl get node NAME -o yaml` (status.nodeInfo.kubeletVersion)'));
  const parsed = nodes.flatMap((n) => { const v = parseKubeVersion(n.kubelet); return v ? [{ name: n.name, v }] : []; });
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
  const server = parseKubeVersion(input.server);
  if (!server) {
    return [problem('kube_version', `the cluster's current version ('${input.server}') cannot be read from the API server`, 'check `kubectl version -o json` on the first control plane (is the cluster up?)')];
  }
  // the control plane's step first: a wrong target makes every kubelet look skewed too
  const cp = controlPlaneProblems(target, server);
  return cp.length > 0 ? cp : kubeletProblems(target, input.nodes);
}

/** The versions upgradeProblems needs, from `kubectl version -o json` and `kubectl get nodes -o json`. */
export function versionsFromKubectl(versionJson: string, nodesJson: string): { server: string; nodes: NodeVersion[] } {
  const version = JSON.parse(versionJson) as { serverVersion?: { gitVersion?: unknown } };
  const list = JSON.parse(nodesJson) as { items?: { metadata?: { name?: unknown }; status?: { nodeInfo?: { kubeletVersion?: unknown } } }[] };
  return {
    server: String(version.serverVersion?.gitVersion ?? ''),
    nodes: (list.items ?? []).map((n) => ({ name: String(n.metadata?.name ?? '?'), kubelet: String(n.status?.nodeInfo?.kubeletVersion ?? '') })),
  };
}
