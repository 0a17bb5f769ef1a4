import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labDown, labUp, type LabState } from '../../../engine/lab/index.js';
import { recap, ssh, tsplay } from '../cluster/cluster-helpers.js';

// cluster.yml with its network and apps plays on a fresh air-gapped lab (3 systemd hosts and
// the lab's mirror): the CNI configuration on every node, the manifests on the first control
// plane with the mirror's images, idempotence and check mode. No kubeadm here, so no
// admin.conf: the apply step is then exercised with a recording kubectl stand-in that the
// test puts on node1 (test only). Needs `npm run build`.
const lab = { name: 'k8sapp', subnet: '10.88.32', hosts: 3, containers: true, mirror: true, log: (l: string) => console.log(l) };
const PLAYBOOK = 'playbooks/cluster.yml';
const KUBECTL_STANDIN = `#!/bin/sh
# test stand-in for kubectl (never shipped): records its arguments, answers like kubectl apply
echo "$*" >> /var/log/kubectl-standin.log
marker="/var/lib/kubectl-standin/$(echo "$5" | tr / _)"
mkdir -p /var/lib/kubectl-standin
if [ -e "$marker" ]; then state=unchanged; else state=created; touch "$marker"; fi
for f in "$5"/*.yml; do echo "object/$(basename "$f" .yml) $state"; done
`;
let state: LabState;
let work: string;
let inventory: string;

const host = (name: string) => state.hosts.find((h) => h.name === name)!;
const on = (name: string, command: string) => ssh(state, host(name).ip, command);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-k8sapp-'));
  await labDown(lab);
  state = await labUp(lab);
  inventory = state.inventory;
}, 900_000);

afterAll(async () => {
  await labDown(lab);
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('network and apps on the lab', () => {
  it('cluster.yml writes the CNI configuration everywhere and the manifests on node1', () => {
    const r = tsplay([PLAYBOOK, '-i', inventory, '-e', 'metrics_server_enabled=true'], work);
    expect(r.code, r.out).toBe(0);
    console.log(`cluster.yml first run: ${r.seconds.toFixed(1)} s`);
    for (const h of state.hosts) {
      const conf = JSON.parse(on(h.name, 'cat /etc/cni/net.d/10-flannel.conflist').out) as { plugins: { type: string }[] };
      expect(conf.plugins.map((p) => p.type)).toEqual(['flannel', 'portmap']);
    }
    const listing = on('node1', 'cd /etc/kubernetes/addons && ls */*.yml').out.trim().split('\n');
    expect(listing).toEqual([
      'coredns/coredns-config.yml', 'coredns/coredns-deployment.yml', 'coredns/coredns-rbac.yml', 'coredns/coredns-svc.yml',
      'flannel/cni-flannel-rbac.yml', 'flannel/cni-flannel.yml',
      'metrics_server/metrics-apiservice.yml', 'metrics_server/metrics-server-deployment.yml', 'metrics_server/metrics-server-rbac.yml', 'metrics_server/metrics-server-service.yml',
    ]);
    const registry = `${state.mirror!.ip}:5000`;
    // the lab's kube_version is the machine's kubectl; CoreDNS follows kubeadm's choice per minor
    const kubeVersion = String((parse(readFileSync(join(dirname(state.inventory), 'group_vars/all/lab-mirror.yml'), 'utf8')) as Record<string, unknown>).kube_version);
    const minor = Number(/^v1\.(\d+)\./.exec(kubeVersion)![1]);
    const coredns = minor >= 34 ? 'v1.12.1' : minor >= 33 ? 'v1.12.0' : 'v1.11.3';
    const images = on('node1', "grep -h 'image:' /etc/kubernetes/addons/*/*.yml").out.trim().split('\n').map((l) => l.trim());
    expect(images).toEqual([
      `image: "${registry}/coredns/coredns:${coredns}"`,
      `image: "${registry}/flannel/flannel-cni-plugin:v1.6.2-flannel1"`, `image: "${registry}/flannel/flannel:v0.26.7"`, `image: "${registry}/flannel/flannel:v0.26.7"`,
      `image: "${registry}/metrics-server/metrics-server:v0.7.2"`,
    ]);
    for (const w of ['node2', 'node3']) expect(on(w, 'test -e /etc/kubernetes/addons && echo present; true').out.trim()).toBe('');
    expect(r.out).toContain('/etc/kubernetes/addons/flannel is written; no /etc/kubernetes/admin.conf or /usr/local/bin/kubectl on node1 yet');
  }, 600_000);

  it('the download role pre-pulled only what the lab mirror serves', () => {
    const images = on('node2', '/usr/local/bin/ctr -n k8s.io images ls -q').out;
    expect(images).toContain('/pause:3.10');
    expect(images).not.toContain('flannel');
  });

  it('a second run and a check run change nothing', () => {
    const again = tsplay([PLAYBOOK, '-i', inventory, '-e', 'metrics_server_enabled=true'], work);
    expect(again.code, again.out).toBe(0);
    for (const [h, row] of Object.entries(recap(again.out))) expect(row.changed, h).toBe(0);
    const check = tsplay([PLAYBOOK, '-i', inventory, '-e', 'metrics_server_enabled=true', '--check'], work);
    expect(check.code, check.out).toBe(0);
    for (const [h, row] of Object.entries(recap(check.out))) expect(row.changed, h).toBe(0);
  }, 600_000);

  it('with admin.conf and kubectl on node1, --tags network,apps applies each folder there, once changed', () => {
    on('node1', `cat > /usr/local/bin/kubectl <<'EOF'\n${KUBECTL_STANDIN}EOF\nchmod 0755 /usr/local/bin/kubectl && printf 'apiVersion: v1\\nkind: Config\\n' > /etc/kubernetes/admin.conf && chmod 0600 /etc/kubernetes/admin.conf`);
    const args = [PLAYBOOK, '-i', inventory, '-e', 'metrics_server_enabled=true', '--tags', 'network,apps'];
    const first = tsplay(args, work);
    expect(first.code, first.out).toBe(0);
    expect(on('node1', 'cat /var/log/kubectl-standin.log').out.trim().split('\n')).toEqual(
      ['flannel', 'coredns', 'metrics_server'].map((d) => `--kubeconfig /etc/kubernetes/admin.conf apply -f /etc/kubernetes/addons/${d}`),
    );
    expect(recap(first.out).node1!.changed).toBe(3);
    const second = tsplay(args, work);
    expect(second.code, second.out).toBe(0);
    for (const [h, row] of Object.entries(recap(second.out))) expect(row.changed, h).toBe(0);
    for (const w of ['node2', 'node3']) expect(on(w, 'test -e /var/log/kubectl-standin.log && echo called; true').out.trim()).toBe('');
  }, 600_000);
});
