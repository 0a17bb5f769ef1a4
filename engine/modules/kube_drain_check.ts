import { blockingPdbs } from '../cluster/pdb.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';

/**
 * kube_drain_check: before a batch is cordoned (run_once, on the controller), the
 * PodDisruptionBudgets that allow no disruption now and protect pods on the batch's nodes,
 * from `kubectl get pdb -A -o json` and `kubectl get pods -A -o json`. Such a drain would
 * only retry until its timeout; failing here names the budget and its pods instead.
 */
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['nodes', 'pdb_json', 'pods_json'],
  properties: {
    nodes: { type: 'array', items: { type: 'string' } },
    /** kubectl's JSON lists: their text, or the objects (templating turns the text into one, like ansible) */
    pdb_json: { type: ['string', 'object'] },
    pods_json: { type: ['string', 'object'] },
  },
} as const;

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const a = ctx.args;
  const nodes = a.nodes as string[];
  let blocking: ReturnType<typeof blockingPdbs>;
  try {
    blocking = blockingPdbs(a.pdb_json, a.pods_json, nodes);
  } catch (e) {
    return { changed: false, failed: true, msg: `cannot read kubectl's JSON for the PodDisruptionBudget check (${(e as Error).message})` };
  }
  if (blocking.length === 0) return { changed: false, msg: `no PodDisruptionBudget blocks draining ${nodes.join(', ')}`, blocking };
  const lines = blocking.map((b) => `  - ${b.pdb} allows no disruption and protects ${b.pods.map((p) => `${p.pod} on ${p.node}`).join(', ')}`);
  return {
    changed: false, failed: true, blocking,
    msg: [`draining ${nodes.join(', ')} would be blocked by ${blocking.length} PodDisruptionBudget${blocking.length === 1 ? '' : 's'} (no node was cordoned):`, ...lines,
      'scale the workloads up or relax the budgets, or set drain_check_pdbs=false to let the drain retry until drain_timeout'].join('\n'),
  };
}

export const kube_drain_check: ModuleDef = {
  name: 'kube_drain_check',
  schema: SCHEMA,
  controllerOnly: true,
  supportsCheck: true,
  run,
};
