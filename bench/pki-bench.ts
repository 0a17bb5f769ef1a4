/**
 * Times generating the whole PKI for 3 control planes + 3 etcd members (Kubespray host etcd),
 * and for 3 stacked control planes (kubeadm static-pod etcd). Target: < 2 s each.
 * Run: npm run bench:pki
 */
import { availableParallelism, loadavg } from 'node:os';
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

interface Sample { ms: number; cpuMs: number; files: number; keys: number }

async function run(etcdMode: EtcdMode): Promise<Sample> {
  const { cluster: c, roles } = cluster(etcdMode);
  const now = new Date();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const shared = await generateShared(c, now);
  const perNode = await Promise.all(roles.map((r) => materialize(planNode(r, c, new Map(), shared, now), c, now)));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const all: FileWrite[] = perNode.flat();
  // each distinct private key was generated once (CAs and sa are copied to several hosts)
  const keys = new Set(all.map((f) => /BEGIN RSA PRIVATE KEY-----\n([^\n]+)/.exec(f.content)?.[1] ?? /client-key-data: (.{200})/.exec(f.content)?.[1]).filter(Boolean)).size;
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, files: all.length, keys };
}

async function main(): Promise<void> {
  await run('stacked'); // warm-up (JIT, OpenSSL init)
  for (const mode of ['host', 'stacked'] as const) {
    const samples: Sample[] = [];
    for (let i = 0; i < 5; i++) samples.push(await run(mode));
    const times = samples.map((s) => s.ms).sort((a, b) => a - b);
    const cpu = samples.map((s) => s.cpuMs).sort((a, b) => a - b);
    const label = mode === 'host' ? '3 control planes + 3 etcd members (host etcd)' : '3 control planes, stacked etcd';
    // CPU time (all threads) shows the cost independent of other load on a shared machine
    console.log(`${label}: ${samples[0]?.files} files, ${samples[0]?.keys} RSA-2048 keys; wall median ${times[2]?.toFixed(0)} ms ` +
      `(min ${times[0]?.toFixed(0)}, max ${times[4]?.toFixed(0)}); CPU median ${cpu[2]?.toFixed(0)} ms; ${availableParallelism()} CPUs, load ${loadavg()[0]?.toFixed(2)}`);
  }
}

await main();
