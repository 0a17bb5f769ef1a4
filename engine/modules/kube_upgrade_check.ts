import { renderProblems } from '../cluster/validate.js';
import { upgradeProblems, versionsFromKubectl } from '../cluster/upgrade.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';

/**
 * kube_upgrade_check: the first task of upgrade-cluster.yml (run_once, on the controller):
 * the target kube_version against what the cluster runs now, read from `kubectl version -o
 * json` and `kubectl get nodes -o json` (registered on the first control plane). A skipped
 * minor, a downgrade or a kubelet skew kubeadm would reject fails the run before any host
 * changes, naming the versions and where the inventory sets kube_version.
 */
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['target', 'version_json', 'nodes_json'],
  properties: {
    target: { type: 'string' },
    version_json: { type: 'string' },
    nodes_json: { type: 'string' },
  },
} as const;

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const a = ctx.args;
  let versions: ReturnType<typeof versionsFromKubectl>;
  try {
    versions = versionsFromKubectl(String(a.version_json), String(a.nodes_json));
  } catch (e) {
    return { changed: false, failed: true, msg: `cannot read the cluster's versions from kubectl's JSON (${(e as Error).message}); no host was changed` };
  }
  const target = String(a.target);
  const problems = upgradeProblems({ target, server: versions.server, nodes: versions.nodes });
  const summary = { current: versions.server, target, kubelets: Object.fromEntries(versions.nodes.map((n) => [n.name, n.kubelet])) };
  if (problems.length === 0) return { changed: false, msg: `upgrade ${versions.server} → ${target} is allowed`, ...summary };
  const file = typeof ctx.vars.inventory_file === 'string' ? ctx.vars.inventory_file : undefined;
  const dir = typeof ctx.vars.inventory_dir === 'string' ? ctx.vars.inventory_dir : undefined;
  return { changed: false, failed: true, msg: renderProblems(problems, file, dir, `the upgrade ${versions.server} → ${target} is refused`), problems, ...summary };
}

export const kube_upgrade_check: ModuleDef = {
  name: 'kube_upgrade_check',
  schema: SCHEMA,
  controllerOnly: true,
  supportsCheck: true,
  run,
};
