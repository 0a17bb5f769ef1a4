import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCluster, type Rendered } from './render.js';

/**
 * The apply step on the first control plane, with a recording stand-in of kubectl (test
 * only: kubectl cannot reach an API server here). It logs its arguments and answers like
 * `kubectl apply`: `created` the first time a folder is applied, `unchanged` after.
 */
const KUBECTL_STANDIN = `#!/bin/sh
# test stand-in for kubectl, never shipped
log="$(dirname "$0")/kubectl.log"
echo "$*" >> "$log"
dir="$5"
marker="$(dirname "$0")/$(basename "$dir").applied"
if [ -e "$marker" ]; then state=unchanged; else state=created; touch "$marker"; fi
for f in "$dir"/*.yml; do echo "object/$(basename "$f" .yml) $state"; done
`;

function withControlPlaneTools(hosts: string): void {
  const bin = join(hosts, 'cp1', 'usr/local/bin');
  mkdirSync(bin, { recursive: true });
  mkdirSync(join(hosts, 'cp1', 'etc/kubernetes'), { recursive: true });
  writeFileSync(join(hosts, 'cp1', 'etc/kubernetes/admin.conf'), 'apiVersion: v1\nkind: Config\n', { mode: 0o600 });
  writeFileSync(join(bin, 'kubectl'), KUBECTL_STANDIN);
  chmodSync(join(bin, 'kubectl'), 0o755);
}

describe('manifests are applied once admin.conf and kubectl exist', () => {
  let r: Rendered;
  const log = () => readFileSync(join(r.hostsDir, 'cp1/usr/local/bin/kubectl.log'), 'utf8').trim().split('\n');
  beforeAll(async () => {
    r = await renderCluster({
      controlPlanes: { cp1: '10.60.0.11', cp2: '10.60.0.12' }, nodes: { w1: '10.60.0.21' },
      vars: { kube_network_plugin: 'calico', metrics_server_enabled: true }, prepare: withControlPlaneTools,
    });
  }, 120_000);
  afterAll(() => r.cleanup());

  it('applies each folder with root admin.conf, CRDs before calico, network before apps', () => {
    expect(r.code, r.out).toBe(0);
    const k8s = join(r.hostsDir, 'cp1/etc/kubernetes');
    expect(log()).toEqual(['calico/crds', 'calico', 'coredns', 'metrics_server'].map((d) => `--kubeconfig ${k8s}/admin.conf apply -f ${k8s}/addons/${d}`));
    expect(r.out).toMatch(/TASK \[kubernetes-apps\/apply : Apply \| calico\] \*+\nchanged: \[cp1\]/);
    expect(r.out).not.toMatch(/(is|would be) written; no/);
  });

  it('a second run applies again and reports no change', async () => {
    const again = await r.again();
    expect(again.code, again.out).toBe(0);
    expect(log()).toHaveLength(8);
    for (const h of ['cp1', 'cp2', 'w1']) expect(again.out).toMatch(new RegExp(`${h}\\s+: ok=\\d+\\s+changed=0 `));
  }, 120_000);
});

describe('check mode before any control plane exists', () => {
  it('reports what it would write and applies nothing, without failing', async () => {
    const r = await renderCluster({ controlPlanes: { cp1: '10.60.0.11' }, nodes: { w1: '10.60.0.21' }, vars: {}, check: true });
    try {
      expect(r.code, r.out).toBe(0);
      expect(r.exists('cp1', '/etc/kubernetes/addons/flannel')).toBe(false);
      expect(r.out).toMatch(/TASK \[network_plugin\/flannel : Flannel \| manifests folder\] \*+\nskipping: \[w1\]\nchanged: \[cp1\]/);
      expect(r.out).toMatch(/TASK \[network_plugin\/flannel : Flannel \| manifests written\] \*+\n(skipping: \[(cp1|w1)\].*\n)+\nTASK/);
      expect(r.out).toContain('addons/coredns would be written; no ');
      expect(r.out).toMatch(/cp1\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0 /);
    } finally {
      r.cleanup();
    }
  }, 120_000);
});
