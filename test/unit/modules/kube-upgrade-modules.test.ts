import { describe, expect, it } from 'vitest';
import { kube_drain_check } from '../../../engine/modules/kube_drain_check.js';
import { kube_upgrade_check } from '../../../engine/modules/kube_upgrade_check.js';
import { harness, validArgs } from './context.js';

const manifest = (v: string): string => `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: mirror:5000/kube-apiserver:${v}\n    name: kube-apiserver\n`;
const nodes = { items: [{ metadata: { name: 'cp1' }, status: { nodeInfo: { kubeletVersion: 'v1.32.5' } } }] };

describe('kube_upgrade_check', () => {
  const h = harness();
  it('allows the next minor, with kubectl JSON as text or as the object templating makes of it', async () => {
    for (const nodesJson of [JSON.stringify(nodes), nodes]) {
      const r = await h.run(kube_upgrade_check, { target: 'v1.33.3', apiserver_manifests: { cp1: manifest('v1.32.5'), cp2: manifest('v1.32.5') }, nodes_json: nodesJson });
      expect(r.failed).toBeUndefined();
      expect(r).toMatchObject({ current: 'v1.32.5', msg: 'upgrade v1.32.5 → v1.33.3 is allowed', kubelets: { cp1: 'v1.32.5' } });
    }
    expect(h.conn.trips).toBe(0);
  });

  it('fails the task, not the run, with one message for a skipped minor', async () => {
    const r = await h.run(kube_upgrade_check, { target: 'v1.34.1', apiserver_manifests: { cp1: manifest('v1.32.5') }, nodes_json: nodes });
    expect(r.failed).toBe(true);
    expect(String(r.msg)).toMatch(/^the upgrade v1\.32\.5 → v1\.34\.1 is refused \(1 problem\); no host was changed:\n {2}- kube_version \(not set in the inventory: the default applies\): v1\.32\.5 → v1\.34\.1 skips 1 minor/);
  });

  it('says when a control plane has no API server manifest', async () => {
    const r = await h.run(kube_upgrade_check, { target: 'v1.33.3', apiserver_manifests: { cp1: manifest('v1.32.5'), cp2: '' }, nodes_json: nodes });
    expect(String(r.msg)).toContain("the cluster's current version cannot be read (cp1 'v1.32.5', cp2 '')");
  });

  it('rejects unknown arguments', () => {
    expect(validArgs(kube_upgrade_check, { target: 'v1.33.3', apiserver_manifests: {}, nodes_json: '{}', force: true })).toBe(false);
  });
});

describe('kube_drain_check', () => {
  const h = harness();
  const pdbs = { items: [{ metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 0 } }] };
  const pods = { items: [{ metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' } }, spec: { nodeName: 'w2' }, status: { phase: 'Running' } }] };

  it('names the budget and the pod it protects on the batch, before anything is cordoned', async () => {
    const r = await h.run(kube_drain_check, { nodes: ['w1', 'w2'], pdb_json: JSON.stringify(pdbs), pods_json: pods });
    expect(r.failed).toBe(true);
    expect(String(r.msg)).toBe('draining w1, w2 would be blocked by 1 PodDisruptionBudget (no node was cordoned):\n'
      + '  - shop/web allows no disruption and protects shop/web-1 on w2\n'
      + 'scale the workloads up or relax the budgets, or set drain_check_pdbs=false to let the drain retry until drain_timeout');
  });

  it('passes a batch whose pods are not protected', async () => {
    const r = await h.run(kube_drain_check, { nodes: ['w1'], pdb_json: pdbs, pods_json: pods });
    expect(r).toMatchObject({ changed: false, msg: 'no PodDisruptionBudget blocks draining w1' });
  });

  it('fails clearly on output that is not JSON', async () => {
    const r = await h.run(kube_drain_check, { nodes: ['w1'], pdb_json: 'No resources found', pods_json: pods });
    expect(String(r.msg)).toMatch(/^cannot read kubectl's JSON for the PodDisruptionBudget check/);
  });
});
