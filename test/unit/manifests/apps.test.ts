import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesOf, manifestProblems, podSpec } from './k8s-validate.js';
import { renderCluster, type Rendered } from './render.js';

/** CoreDNS and metrics-server as tsplay renders them for an inventory, validated and checked. */
const COREDNS = ['coredns-rbac.yml', 'coredns-config.yml', 'coredns-deployment.yml', 'coredns-svc.yml'].map((f) => `/etc/kubernetes/addons/coredns/${f}`);
const METRICS = ['metrics-server-rbac.yml', 'metrics-server-deployment.yml', 'metrics-server-service.yml', 'metrics-apiservice.yml']
  .map((f) => `/etc/kubernetes/addons/metrics_server/${f}`);
const MIRROR = 'registry.mirror.internal:5000';
type Obj = Record<string, unknown>;

const docsOf = (r: Rendered, files: string[]) => files.flatMap((f) => r.docs('cp1', f));
const byKind = (docs: Obj[], kind: string) => docs.filter((d) => d.kind === kind);
function problems(docs: Obj[]): string[] {
  return docs.flatMap((d) => manifestProblems(d).map((p) => `${String(d.kind)} ${String((d.metadata as Obj).name)}: ${p}`));
}

describe('defaults: CoreDNS only, 3 hosts', () => {
  let r: Rendered;
  beforeAll(async () => {
    r = await renderCluster({ controlPlanes: { cp1: '10.40.0.11' }, nodes: { w1: '10.40.0.21', w2: '10.40.0.22' }, vars: {} });
  }, 120_000);
  afterAll(() => r.cleanup());

  it('CoreDNS validates; its Service is skydns_server, the 3rd address of the services range', () => {
    expect(r.code, r.out).toBe(0);
    const docs = docsOf(r, COREDNS);
    expect(problems(docs)).toEqual([]);
    const svc = byKind(docs, 'Service')[0]!;
    expect((svc.spec as Obj).clusterIP).toBe('10.233.0.3');
    expect((svc.spec as Obj).selector).toEqual({ 'k8s-app': 'kube-dns' });
  });

  it('two replicas on different nodes, the image for the default Kubernetes version', () => {
    const dep = byKind(docsOf(r, COREDNS), 'Deployment')[0]!;
    expect((dep.spec as Obj).replicas).toBe(2);
    expect(imagesOf(dep)).toEqual(['registry.k8s.io/coredns/coredns:v1.12.1']);
    expect(JSON.stringify(podSpec(dep)!.affinity)).toContain('kubernetes.io/hostname');
  });

  it('the Corefile serves the cluster domain and forwards to the node resolver', () => {
    const corefile = (byKind(docsOf(r, COREDNS), 'ConfigMap')[0]!.data as Record<string, string>).Corefile!;
    expect(corefile).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa {');
    expect(corefile).toMatch(/forward \. \/etc\/resolv\.conf \{\n\s+prefer_udp\n\s+\}/);
    expect(corefile).toMatch(/^\s+cache 30$/m);
  });

  it('metrics-server is off unless enabled', () => {
    expect(r.exists('cp1', METRICS[0]!)).toBe(false);
  });
});

describe('one control plane, its own service range and domain, upstream DNS, metrics-server, mirror', () => {
  let r: Rendered;
  beforeAll(async () => {
    r = await renderCluster({
      controlPlanes: { cp1: '10.50.0.11' }, nodes: {},
      vars: {
        registry_host: MIRROR, kube_service_addresses: '10.96.0.0/12', cluster_name: 'prod.example',
        upstream_dns_servers: ['10.50.0.53', '10.50.0.54'], dns_upstream_forward_extra_opts: { policy: 'sequential' },
        metrics_server_enabled: true, kube_version: 'v1.33.8',
      },
    });
  }, 120_000);
  afterAll(() => r.cleanup());

  it('CoreDNS: 10.96.0.3, one replica on a one-node cluster, the 1.33 image from the mirror', () => {
    expect(r.code, r.out).toBe(0);
    const docs = docsOf(r, COREDNS);
    expect(problems(docs)).toEqual([]);
    expect((byKind(docs, 'Service')[0]!.spec as Obj).clusterIP).toBe('10.96.0.3');
    const dep = byKind(docs, 'Deployment')[0]!;
    expect((dep.spec as Obj).replicas).toBe(1);
    expect(imagesOf(dep)).toEqual([`${MIRROR}/coredns/coredns:v1.12.0`]);
  });

  it('the Corefile names the domain and forwards to the upstream servers with the extra options', () => {
    const corefile = (byKind(docsOf(r, COREDNS), 'ConfigMap')[0]!.data as Record<string, string>).Corefile!;
    expect(corefile).toContain('kubernetes prod.example in-addr.arpa ip6.arpa {');
    expect(corefile).toMatch(/forward \. 10\.50\.0\.53 10\.50\.0\.54 \{\n\s+prefer_udp\n\s+policy sequential\n\s+\}/);
  });

  it('metrics-server validates (RBAC, Deployment, Service, APIService) and runs the mirror image', () => {
    const docs = docsOf(r, METRICS);
    expect(problems(docs)).toEqual([]);
    expect(docs.map((d) => d.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ClusterRoleBinding', 'Deployment', 'Service', 'APIService']);
    const dep = byKind(docs, 'Deployment')[0]!;
    expect(imagesOf(dep)).toEqual([`${MIRROR}/metrics-server/metrics-server:v0.7.2`]);
    expect((podSpec(dep)!.containers as Obj[])[0]!.args).toContain('--kubelet-insecure-tls');
    expect((byKind(docs, 'APIService')[0]!.spec as Obj).service).toEqual({ name: 'metrics-server', namespace: 'kube-system' });
  });

  it('dns_replicas overrides the replica count; dns_mode none deploys no CoreDNS', async () => {
    const three = await renderCluster({ controlPlanes: { cp1: '10.50.0.11' }, nodes: {}, vars: { dns_replicas: 3 } });
    const none = await renderCluster({ controlPlanes: { cp1: '10.50.0.11' }, nodes: {}, vars: { dns_mode: 'none' } });
    try {
      expect((byKind(docsOf(three, COREDNS), 'Deployment')[0]!.spec as Obj).replicas).toBe(3);
      expect(none.code, none.out).toBe(0);
      expect(none.exists('cp1', COREDNS[0]!)).toBe(false);
    } finally {
      three.cleanup();
      none.cleanup();
    }
  }, 120_000);
});
