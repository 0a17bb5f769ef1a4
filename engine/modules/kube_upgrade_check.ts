import { renderProblems } from '../cluster/validate.js';
import { apiserverImageVersion, clusterVersion, kubeletsFromKubectl, upgradeProblems } from '../cluster/upgrade.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';

/**
 * kube_upgrade_check: the first task of upgrade-cluster.yml (run_once, on the controller):
 * the target kube_version against what the cluster runs now: each control plane's API server
 * manifest (read on every control plane) and the kubelets of `kubectl get nodes -o json`.
 * A skipped minor, a downgrade or a kubelet skew kubeadm would reject fails the run before any
 * host changes, naming the versions and where the inventory sets kube_version.
 */
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['target', 'apiserver_manifests', 'nodes_json'],
  properties: {
    target: { type: 'string' },
    /** {control plane: text of its kube-apiserver.yaml ('' when missing)} */
    apiserver_manifests: { type: 'object', additionalProperties: { type: 'string' } },
    /** `kubectl get nodes -o json`: its text, or the object (templating turns the text into one, like ansible) */
    nodes_json: { type: ['string', 'object'] },
  },
} as const;

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const a = ctx.args;
  const target = String(a.target);
  const controlPlanes = Object.entries(a.apiserver_manifests as Record<string, string>).map(([name, text]) => ({ name, version: apiserverImageVersion(text) }));
  let nodes: ReturnType<typeof kubeletsFromKubectl>;
  try {
    nodes = kubeletsFromKubectl(a.nodes_json);
  } catch (e) {
    return { changed: false, failed: true, msg: `cannot read \`kubectl get nodes -o json\` (${(e as Error).message}); no host was changed` };
  }
  const current = clusterVersion(controlPlanes)?.text ?? 'unknown';
  const summary = {
    current, target,
    control_planes: Object.fromEntries(controlPlanes.map((c) => [c.name, c.version])),
    kubelets: Object.fromEntries(nodes.map((n) => [n.name, n.version])),
  };
  const problems = upgradeProblems({ target, controlPlanes, nodes });
  if (problems.length === 0) return { changed: false, msg: `upgrade ${current} → ${target} is allowed`, ...summary };
  const file = typeof ctx.vars.inventory_file === 'string' ? ctx.vars.inventory_file : undefined;
  const dir = typeof ctx.vars.inventory_dir === 'string' ? ctx.vars.inventory_dir : undefined;
  return { changed: false, failed: true, msg: renderProblems(problems, file, dir, `the upgrade ${current} → ${target} is refused`), problems, ...summary };
}

export const kube_upgrade_check: ModuleDef = {
  name: 'kube_upgrade_check',
  schema: SCHEMA,
  controllerOnly: true,
  supportsCheck: true,
  run,
};
