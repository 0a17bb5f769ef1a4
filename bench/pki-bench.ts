/**
 * Times generating the whole PKI for 3 control planes + 3 etcd members (Kubespray host etcd),
 * and for 3 stacked control planes (kubeadm static-pod etcd). Target: < 2 s each.
 * Run: npm run bench:pki
 */
import { generateShared, materialize } from '../engine/pki/issue.js';
import { planNode } from '../engine/pki/plan.js';
import type { ClusterPki, EtcdMode, FileWrite, NodeRole } from '../engine/pki/plan-types.js';
import { DEFAULT_CA_VALIDITY_DAYS, DEFAULT_CERT_VALIDITY_DAYS } from '../engine/pki/spec.js';

function cluster(etcdMode: EtcdMode): { cluster: ClusterPki; roles: NodeRole[] } {
  const cps = [1, 2, 3].map((i) => ({ name: `cp${i}`, ip: `10.88.0.${10 + i}` }));
  const etcd = etcdMode === 'host' ? [1, 2, 3].map((i) => ({ name: `etcd${i}`, ip: `10.88.0.${20 + i}` })) : cps;
  const c: ClusterPki = {
    clusterName: 'kubernetes', dnsDomain: 'cluster.local', serviceSubnet: '10.233.0.0/18', controlPlaneEndpoint: 'lb.example:6443',
    apiserverPort: 6443, controlPlanes: cps, etcdMembers: etcd, certSans: [], etcdCertAltNames: ['etcd'], etcdMode,
    caValidityDays: DEFAULT_CA_VALIDITY_DAYS, certValidityDays: DEFAULT_CERT_VALIDITY_DAYS,
    certDir: '/etc/kubernetes/pki', kubeconfigDir: '/etc/kubernetes', etcdCertDir: '/etc/ssl/etcd/ssl',
  };
  const roles: NodeRole[] = cps.map((node) => ({ node, controlPlane: true, etcdMember: etcdMode === 'stacked' }));
  if (etcdMode === 'host') roles.push(...etcd.map((node) => ({ node, controlPlane: false, etcdMember: true })));
  return { cluster: c, roles };
}

async function run(etcdMode: EtcdMode): Promise<{ ms: number; files: number; certs: number }> {
  const { cluster: c, roles } = cluster(etcdMode);
  const now = new Date();
  const t0 = performance.now();
  const shared = await generateShared(c, now);
  const perNode = await Promise.all(roles.map((r) => materialize(planNode(r, c, new Map(), shared, now), c, now)));
  const ms = performance.now() - t0;
  const all: FileWrite[] = perNode.flat();
  return { ms, files: all.length, certs: all.filter((f) => f.content.includes('BEGIN CERTIFICATE') && !f.path.endsWith('.conf')).length };
}

async function main(): Promise<void> {
  await run('stacked'); // warm-up (JIT, OpenSSL init)
  for (const mode of ['host', 'stacked'] as const) {
    const times: number[] = [];
    let last = { files: 0, certs: 0 };
    for (let i = 0; i < 5; i++) {
      const r = await run(mode);
      times.push(r.ms);
      last = r;
    }
    times.sort((a, b) => a - b);
    const label = mode === 'host' ? '3 control planes + 3 etcd members (host etcd)' : '3 control planes, stacked etcd';
    console.log(`${label}: ${last.files} files (${last.certs} cert files + kubeconfigs), ` +
      `median ${times[2]?.toFixed(0)} ms, min ${times[0]?.toFixed(0)} ms, max ${times[4]?.toFixed(0)} ms`);
  }
}

await main();
