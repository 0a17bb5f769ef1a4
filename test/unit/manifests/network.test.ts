import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesOf, manifestProblems, podSpec } from './k8s-validate.js';
import { renderCluster, type Rendered } from './render.js';

/**
 * Flannel, calico and the nodes' nginx-proxy, rendered by tsplay from the shipped roles for
 * a few inventories, validated against the Kubernetes types, with the images, CIDRs and
 * node addresses each inventory implies.
 */
const MIRROR = 'registry.mirror.internal:5000';
const FLANNEL = ['/etc/kubernetes/addons/flannel/cni-flannel-rbac.yml', '/etc/kubernetes/addons/flannel/cni-flannel.yml'];
const CALICO = ['crds/calico-crds.yml', 'calico-config.yml', 'calico-rbac.yml', 'calico-node.yml', 'calico-kube-controllers.yml', 'calico-ippool.yml']
  .map((f) => `/etc/kubernetes/addons/calico/${f}`);
type Obj = Record<string, unknown>;

function allDocs(r: Rendered, host: string, files: string[]): Obj[] {
  return files.flatMap((f) => r.docs(host, f));
}
function expectValid(docs: Obj[]): void {
  const problems = docs.flatMap((d) => manifestProblems(d).map((p) => `${String(d.kind)} ${String((d.metadata as Obj).name)}: ${p}`));
  expect(problems).toEqual([]);
}
const find = (docs: Obj[], kind: string, name: string) => docs.find((d) => d.kind === kind && (d.metadata as Obj).name === name) as Obj;

describe('flannel, defaults (1 control plane, 2 workers, no mirror)', () => {
  let r: Rendered;
  beforeAll(async () => {
    r = await renderCluster({ controlPlanes: { cp1: '10.10.0.11' }, nodes: { w1: '10.10.0.21', w2: '10.10.0.22' }, vars: {} });
  }, 120_000);
  afterAll(() => r.cleanup());

  it('runs, writes the manifests on the first control plane only and validates them', () => {
    expect(r.code, r.out).toBe(0);
    const docs = allDocs(r, 'cp1', FLANNEL);
    expect(docs.map((d) => d.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'DaemonSet']);
    expectValid(docs);
    expect(r.exists('w1', FLANNEL[1]!)).toBe(false);
    expect(r.exists('cp1', '/etc/kubernetes/addons/calico')).toBe(false);
  });

  it('net-conf.json carries the pod CIDR, node prefix and VXLAN backend', () => {
    const cm = find(r.docs('cp1', FLANNEL[1]!), 'ConfigMap', 'kube-flannel-cfg');
    expect(JSON.parse((cm.data as Obj)['net-conf.json'] as string)).toEqual({
      Network: '10.233.64.0/18', EnableIPv4: true, SubnetLen: 24,
      Backend: { Type: 'vxlan', VNI: 1, Port: 8472, DirectRouting: false },
    });
  });

  it('images are the upstream ones without a mirror', () => {
    const ds = find(r.docs('cp1', FLANNEL[1]!), 'DaemonSet', 'kube-flannel');
    expect(imagesOf(ds)).toEqual(['docker.io/flannel/flannel-cni-plugin:v1.6.2-flannel1', 'docker.io/flannel/flannel:v0.26.7', 'docker.io/flannel/flannel:v0.26.7']);
  });

  it('every node gets the same CNI configuration, byte for byte what the DaemonSet would copy', () => {
    const cm = find(r.docs('cp1', FLANNEL[1]!), 'ConfigMap', 'kube-flannel-cfg');
    for (const h of ['cp1', 'w1', 'w2']) {
      expect(r.text(h, '/etc/cni/net.d/10-flannel.conflist')).toBe((cm.data as Record<string, string>)['cni-conf.json']);
      expect(JSON.parse(r.text(h, '/etc/cni/net.d/10-flannel.conflist'))).toEqual({
        name: 'cbr0', cniVersion: '0.3.1',
        plugins: [{ type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } }, { type: 'portmap', capabilities: { portMappings: true } }],
      });
    }
  });

  it('workers get nginx-proxy to the control plane, control planes do not', () => {
    const conf = r.text('w1', '/etc/nginx/nginx.conf');
    expect([...conf.matchAll(/^\s*server (\S+);$/gm)].map((m) => m[1])).toEqual(['10.10.0.11:6443']);
    expect(conf).toMatch(/listen\s+127\.0\.0\.1:6443;/);
    const pod = r.docs('w1', '/etc/kubernetes/manifests/nginx-proxy.yml');
    expectValid(pod);
    expect(imagesOf(pod[0]!)).toEqual(['docker.io/library/nginx:1.28.0-alpine']);
    expect(r.exists('cp1', '/etc/nginx/nginx.conf')).toBe(false);
    expect(r.exists('cp1', '/etc/kubernetes/manifests/nginx-proxy.yml')).toBe(false);
  });

  it('a second run changes nothing', async () => {
    const again = await r.again();
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/cp1\s+: ok=\d+\s+changed=0 /);
    expect(again.out).toMatch(/w1\s+: ok=\d+\s+changed=0 /);
  }, 120_000);
});

describe('flannel, air-gapped with its own ranges, MTU and interface', () => {
  let r: Rendered;
  beforeAll(async () => {
    r = await renderCluster({
      controlPlanes: { cp1: '192.168.50.11' }, nodes: { w1: '192.168.50.21' },
      vars: {
        registry_host: MIRROR, kube_pods_subnet: '10.244.0.0/16', kube_network_node_prefix: 25,
        flannel_mtu: 1400, flannel_interface: 'eth1', flannel_vxlan_vni: 4096, loadbalancer_apiserver_port: 8443,
      },
    });
  }, 120_000);
  afterAll(() => r.cleanup());

  it('pulls every image from the mirror and validates', () => {
    expect(r.code, r.out).toBe(0);
    const docs = allDocs(r, 'cp1', FLANNEL);
    expectValid(docs);
    expect(imagesOf(find(docs, 'DaemonSet', 'kube-flannel'))).toEqual([`${MIRROR}/flannel/flannel-cni-plugin:v1.6.2-flannel1`, `${MIRROR}/flannel/flannel:v0.26.7`, `${MIRROR}/flannel/flannel:v0.26.7`]);
    expect(imagesOf(r.docs('w1', '/etc/kubernetes/manifests/nginx-proxy.yml')[0]!)).toEqual([`${MIRROR}/library/nginx:1.28.0-alpine`]);
  });

  it('uses the inventory ranges, VNI, interface and MTU', () => {
    const docs = allDocs(r, 'cp1', FLANNEL);
    const net = JSON.parse((find(docs, 'ConfigMap', 'kube-flannel-cfg').data as Obj)['net-conf.json'] as string) as Obj;
    expect(net).toMatchObject({ Network: '10.244.0.0/16', SubnetLen: 25, Backend: { Type: 'vxlan', VNI: 4096 } });
    const container = (podSpec(find(docs, 'DaemonSet', 'kube-flannel'))!.containers as Obj[])[0]!;
    expect(container.args).toEqual(['--ip-masq', '--kube-subnet-mgr', '--iface=eth1']);
    const conflist = JSON.parse(r.text('w1', '/etc/cni/net.d/10-flannel.conflist')) as { plugins: Obj[] };
    expect(conflist.plugins[0]!.delegate).toEqual({ mtu: 1400, hairpinMode: true, isDefaultGateway: true });
  });

  it('nginx listens on loadbalancer_apiserver_port and forwards to the API server port', () => {
    const conf = r.text('w1', '/etc/nginx/nginx.conf');
    expect(conf).toMatch(/listen\s+127\.0\.0\.1:8443;/);
    expect(conf).toContain('server 192.168.50.11:6443;');
  });
});

describe('calico, 3 control planes and a worker, air-gapped', () => {
  let r: Rendered;
  beforeAll(async () => {
    r = await renderCluster({
      controlPlanes: { cp1: '10.20.0.11', cp2: '10.20.0.12', cp3: '10.20.0.13' }, nodes: { w1: '10.20.0.21' },
      vars: { kube_network_plugin: 'calico', registry_host: MIRROR, kube_pods_subnet: '192.168.128.0/17', calico_veth_mtu: 1410 },
    });
  }, 120_000);
  afterAll(() => r.cleanup());

  it('runs and every manifest validates (CRDs, RBAC, ConfigMap, DaemonSet, Deployment, IPPool)', () => {
    expect(r.code, r.out).toBe(0);
    const docs = allDocs(r, 'cp1', CALICO);
    expectValid(docs);
    expect(docs.filter((d) => d.kind === 'CustomResourceDefinition').map((d) => (d.metadata as Obj).name)).toContain('ippools.crd.projectcalico.org');
    expect(docs.filter((d) => d.kind === 'CustomResourceDefinition')).toHaveLength(22);
    expect(r.exists('cp2', CALICO[0]!)).toBe(false);
    expect(r.exists('w1', '/etc/cni/net.d/10-flannel.conflist')).toBe(false);
  });

  it('the IP pool is the pod CIDR, VXLAN, NAT outgoing', () => {
    const ippool = r.docs('cp1', CALICO[5]!)[0]!;
    expect(ippool.spec).toEqual({ cidr: '192.168.128.0/17', blockSize: 26, ipipMode: 'Never', vxlanMode: 'Always', natOutgoing: true, nodeSelector: 'all()' });
  });

  it('images come from the mirror; MTU and backend reach calico-node and the CNI config', () => {
    const docs = allDocs(r, 'cp1', CALICO);
    expect(imagesOf(find(docs, 'DaemonSet', 'calico-node'))).toEqual([`${MIRROR}/calico/cni:v3.30.1`, `${MIRROR}/calico/node:v3.30.1`]);
    expect(imagesOf(find(docs, 'Deployment', 'calico-kube-controllers'))).toEqual([`${MIRROR}/calico/kube-controllers:v3.30.1`]);
    const config = find(docs, 'ConfigMap', 'calico-config').data as Record<string, string>;
    expect(config).toMatchObject({ veth_mtu: '1410', calico_backend: 'vxlan' });
    const cni = JSON.parse(config.cni_network_config!.replace('__CNI_MTU__', '1410')) as { plugins: Obj[] };
    expect(cni.plugins.map((p) => p.type)).toEqual(['calico', 'portmap', 'bandwidth']);
    const env = ((podSpec(find(docs, 'DaemonSet', 'calico-node'))!.containers as Obj[])[0]!.env as Obj[]);
    expect(env).toContainEqual({ name: 'CALICO_IPV4POOL_CIDR', value: '192.168.128.0/17' });
    expect(env).toContainEqual({ name: 'NO_DEFAULT_POOLS', value: 'true' });
  });

  it("the worker's nginx-proxy balances over the three control planes, its pod restarts on a new config", () => {
    const conf = r.text('w1', '/etc/nginx/nginx.conf');
    expect([...conf.matchAll(/^\s*server (\S+);$/gm)].map((m) => m[1])).toEqual(['10.20.0.11:6443', '10.20.0.12:6443', '10.20.0.13:6443']);
    const pod = r.docs('w1', '/etc/kubernetes/manifests/nginx-proxy.yml')[0]!;
    expectValid([pod]);
    const sha1 = createHash('sha1').update(conf).digest('hex');
    expect((pod.metadata as Obj).annotations).toEqual({ 'nginx-cfg-checksum': sha1 });
    for (const cp of ['cp1', 'cp2', 'cp3']) expect(r.exists(cp, '/etc/nginx/nginx.conf')).toBe(false);
  });
});

describe('calico with BGP (bird) and IP-in-IP', () => {
  it('renders the bird probes, the bird backend and an IPIP pool, all valid', async () => {
    const r = await renderCluster({
      controlPlanes: { cp1: '10.25.0.11' }, nodes: { w1: '10.25.0.21' },
      vars: { kube_network_plugin: 'calico', calico_network_backend: 'bird', calico_ipip_mode: 'Always', calico_vxlan_mode: 'Never' },
    });
    try {
      expect(r.code, r.out).toBe(0);
      const docs = allDocs(r, 'cp1', CALICO);
      expectValid(docs);
      expect((find(docs, 'ConfigMap', 'calico-config').data as Obj).calico_backend).toBe('bird');
      expect(r.docs('cp1', CALICO[5]!)[0]!.spec).toMatchObject({ ipipMode: 'Always', vxlanMode: 'Never' });
      const node = (podSpec(find(docs, 'DaemonSet', 'calico-node'))!.containers as Obj[])[0]!;
      expect((node.livenessProbe as { exec: { command: string[] } }).exec.command).toEqual(['/bin/calico-node', '-felix-live', '-bird-live']);
      expect(imagesOf(find(docs, 'DaemonSet', 'calico-node'))).toEqual(['quay.io/calico/cni:v3.30.1', 'quay.io/calico/node:v3.30.1']);
    } finally {
      r.cleanup();
    }
  }, 120_000);
});

describe('inventory mistakes stop the run with the reason', () => {
  it('calico ipip without BGP', async () => {
    const r = await renderCluster({ controlPlanes: { cp1: '10.30.0.11' }, nodes: {}, vars: { kube_network_plugin: 'calico', calico_ipip_mode: 'Always' } });
    try {
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('calico_ipip_mode=Always: use vxlan with calico_ipip_mode Never');
    } finally {
      r.cleanup();
    }
  }, 120_000);

  it("nginx-proxy reaches a control plane at its access_ip when it has one, like Kubespray", async () => {
    const r = await renderCluster({
      controlPlanes: { cp1: '10.30.0.11', cp2: '10.30.0.12' }, nodes: { w1: '10.30.0.21' }, vars: {},
      hostVars: { cp2: { access_ip: '192.0.2.12' } },
    });
    try {
      expect(r.code, r.out).toBe(0);
      expect([...r.text('w1', '/etc/nginx/nginx.conf').matchAll(/^\s*server (\S+);$/gm)].map((m) => m[1])).toEqual(['10.30.0.11:6443', '192.0.2.12:6443']);
    } finally {
      r.cleanup();
    }
  }, 120_000);

  it('an external load balancer means no nginx-proxy', async () => {
    const r = await renderCluster({ controlPlanes: { cp1: '10.30.0.11' }, nodes: { w1: '10.30.0.21' }, vars: { loadbalancer_apiserver: { address: '10.30.0.100', port: 8443 } } });
    try {
      expect(r.code, r.out).toBe(0);
      expect(r.exists('w1', '/etc/nginx/nginx.conf')).toBe(false);
      expect(r.exists('w1', '/etc/kubernetes/manifests/nginx-proxy.yml')).toBe(false);
    } finally {
      r.cleanup();
    }
  }, 120_000);
});
