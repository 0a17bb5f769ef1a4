import { describe, expect, it } from 'vitest';
import { blockingPdbs, selects } from '../../../engine/cluster/pdb.js';
import { apiserverImageVersion, kubeletsFromKubectl, upgradeProblems } from '../../../engine/cluster/upgrade.js';

const NODES = [{ name: 'cp1', version: 'v1.32.5' }, { name: 'w1', version: 'v1.32.5' }];
const cps = (...versions: string[]) => versions.map((version, i) => ({ name: `cp${i + 1}`, version }));
const messages = (target: string, server: string | string[], nodes = NODES): string[] =>
  upgradeProblems({ target, controlPlanes: cps(...(Array.isArray(server) ? server : [server])), nodes }).map((p) => `${p.subject}: ${p.message}${p.hint ? ` | ${p.hint}` : ''}`);

describe('upgrade pre-flight (kubeadm upgrade policy)', () => {
  it.each([
    ['the next minor', 'v1.33.8', 'v1.32.5'],
    ['a patch release', 'v1.32.9', 'v1.32.5'],
    ['the same version again (a resumed upgrade)', 'v1.32.5', 'v1.32.5'],
    ['a pre-release of the next minor', 'v1.33.0-rc.1', 'v1.32.5'],
  ])('allows %s', (_n, target, server) => {
    expect(messages(target, server)).toEqual([]);
  });

  it('refuses a skipped minor and names the step to take first', () => {
    expect(messages('v1.34.4', 'v1.32.5')).toEqual([
      'kube_version: v1.32.5 → v1.34.4 skips 1 minor version; kubeadm upgrades one minor at a time'
        + ' | upgrade to v1.33.x first (set kube_version to a v1.33.x release and run upgrade-cluster.yml), then to v1.34.4',
    ]);
    expect(messages('v1.35.0', 'v1.32.5')[0]).toContain('skips 2 minor versions');
  });

  it.each([
    ['a minor downgrade', 'v1.31.9', 'v1.32.5', /v1\.31\.9 is older than the cluster \(v1\.32\.5\): a downgrade/],
    ['a patch downgrade', 'v1.32.4', 'v1.32.5', /a downgrade/],
    ['a major change', 'v2.0.0', 'v1.32.5', /changes the major version/],
    ['a target that is no version', '1.33', 'v1.32.5', /'1\.33' is not a Kubernetes version/],
    ['a cluster whose version cannot be read', 'v1.33.8', ['v1.32.5', ''], /current version cannot be read \(cp1 'v1\.32\.5', cp2 ''\)/],
  ])('refuses %s', (_n, target, server, re) => {
    const found = messages(target, server);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(re);
  });

  it('starts from the oldest control plane (a half-finished upgrade)', () => {
    expect(messages('v1.34.4', ['v1.33.8', 'v1.32.5'])[0]).toMatch(/^kube_version: v1\.32\.5 → v1\.34\.4 skips 1 minor/);
    expect(messages('v1.33.8', ['v1.33.8', 'v1.32.5'])).toEqual([]);
  });

  it('refuses kubelets that would be newer than the API server or more than 3 minors older', () => {
    const nodes = [{ name: 'cp1', version: 'v1.33.1' }, { name: 'w1', version: 'v1.34.0' }, { name: 'w2', version: 'v1.29.9' }, { name: 'w3', version: 'v1.30.0' }];
    expect(messages('v1.33.8', 'v1.33.1', nodes)).toEqual([
      'kube_version: kubelets newer than v1.33.8: w1 v1.34.0 | a kubelet is never newer than the API server: set kube_version to their minor or newer',
      'kube_version: kubelets more than 3 minors older than v1.33: w2 v1.29.9 | upgrade those nodes step by step first (kubeadm rejects a kubelet skew above 3 minors)',
    ]);
  });

  it('reads kubelet versions from kubectl JSON and the API server version from its manifest', () => {
    const v = kubeletsFromKubectl(JSON.stringify({ items: [{ metadata: { name: 'cp1' }, status: { nodeInfo: { kubeletVersion: 'v1.32.5' } } }] }));
    expect(v).toEqual([{ name: 'cp1', version: 'v1.32.5' }]);
    expect(() => kubeletsFromKubectl('not json')).toThrow();
    const manifest = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command:\n    - kube-apiserver\n    image: 10.88.0.10:5000/kube-apiserver:v1.32.5\n    name: kube-apiserver\n';
    expect(apiserverImageVersion(manifest)).toBe('v1.32.5');
    expect(apiserverImageVersion('')).toBe('');
  });
});

const pod = (name: string, node: string, labels: Record<string, string>, phase = 'Running') =>
  ({ metadata: { name, namespace: 'web', labels }, spec: { nodeName: node }, status: { phase } });
const pdb = (name: string, selector: unknown, allowed: number) =>
  ({ metadata: { name, namespace: 'web' }, spec: { selector }, status: { disruptionsAllowed: allowed } });
const list = (items: unknown[]): string => JSON.stringify({ items });

describe('PodDisruptionBudgets that block a drain', () => {
  const pods = list([pod('api-1', 'w1', { app: 'api' }), pod('api-2', 'w2', { app: 'api' }), pod('job-1', 'w1', { app: 'job' }, 'Succeeded'), pod('db-1', 'w3', { app: 'db', tier: 'x' })]);

  it('names a budget allowing no disruption that protects a pod on the nodes', () => {
    const found = blockingPdbs(list([pdb('api', { matchLabels: { app: 'api' } }, 0)]), pods, ['w1']);
    expect(found).toEqual([{ pdb: 'web/api', pods: [{ pod: 'web/api-1', node: 'w1' }] }]);
  });

  it.each([
    ['a budget that still allows a disruption', [pdb('api', { matchLabels: { app: 'api' } }, 1)], ['w1']],
    ['pods on other nodes only', [pdb('db', { matchLabels: { app: 'db' } }, 0)], ['w1', 'w2']],
    ['finished pods', [pdb('job', { matchLabels: { app: 'job' } }, 0)], ['w1']],
    ['a budget without a selector', [pdb('none', null, 0)], ['w1']],
  ])('ignores %s', (_n, budgets, nodes) => {
    expect(blockingPdbs(list(budgets), pods, nodes)).toEqual([]);
  });

  it('matches expressions like the API server', () => {
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'api'] }, { key: 'tier', operator: 'Exists' }] }, { app: 'db', tier: 'x' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, { app: 'db', tier: 'x' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }, { app: 'api' })).toBe(true);
    expect(selects({}, { any: 'thing' })).toBe(true);
  });
});
