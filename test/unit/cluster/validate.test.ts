import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterProblems, renderProblems } from '../../../engine/cluster/validate.js';
import { whereSet } from '../../../engine/cluster/provenance.js';

const GOOD = {
  kube_version: 'v1.33.8', kube_version_min_required: 'v1.32.0', kube_version_max_supported: 'v1.34.4',
  container_manager: 'containerd', kube_network_plugin: 'flannel', etcd_deployment_type: 'host',
  kube_service_addresses: '10.233.0.0/18', kube_pods_subnet: '10.233.64.0/18', kube_network_node_prefix: 24,
  files_repo: '', registry_host: '', etcd_backup_retention_count: '-1',
};
const GROUPS = { kube_control_plane: ['n1'], etcd: ['n1', 'n2', 'n3'], kube_node: ['n2', 'n3'] };
const NODES = [{ name: 'n1', ip: '10.0.0.11' }, { name: 'n2', ip: '10.0.0.12' }, { name: 'n3', ip: '10.0.0.13' }];

async function subjects(settings: Record<string, unknown>, groups: Record<string, string[]> = GROUPS): Promise<string[]> {
  return (await clusterProblems({ groups, settings, nodes: NODES, files: [] })).map((p) => `${p.subject}: ${p.message}`);
}

describe('cluster_validate checks', () => {
  it('accepts the sample settings', async () => {
    expect(await subjects(GOOD)).toEqual([]);
  });

  it.each([
    ['an unknown container_manager', { container_manager: 'rkt' }, /^container_manager: has the value "rkt", which is not supported$/],
    ['a container_manager tsplay does not ship yet', { container_manager: 'crio' }, /^container_manager: has the value "crio", which is not supported$/],
    ['an unknown network plugin', { kube_network_plugin: 'weave' }, /^kube_network_plugin: .*"weave".*not supported/],
    ['a Kubespray network plugin tsplay does not ship', { kube_network_plugin: 'cilium' }, /^kube_network_plugin: has the value "cilium", which is not supported$/],
    ['an unknown etcd_deployment_type', { etcd_deployment_type: 'pod' }, /^etcd_deployment_type: .*not supported/],
    ['a version without v', { kube_version: '1.33.8' }, /^kube_version: has the value "1\.33\.8", which is malformed/],
    ['a version too old', { kube_version: 'v1.31.9' }, /^kube_version: v1\.31\.9 is outside the supported range v1\.32\.0 to v1\.34\.x/],
    ['a version too new', { kube_version: 'v1.35.0' }, /^kube_version: v1\.35\.0 is outside/],
    ['overlapping ranges', { kube_pods_subnet: '10.233.0.0/16' }, /^kube_pods_subnet: 10\.233\.0\.0\/16 overlaps kube_service_addresses 10\.233\.0\.0\/18$/],
    ['a service range holding a node', { kube_service_addresses: '10.0.0.0/24' }, /^kube_service_addresses: 10\.0\.0\.0\/24 contains node addresses \(n1 10\.0\.0\.11, n2 10\.0\.0\.12, n3 10\.0\.0\.13\)$/],
    ['a range that is no CIDR', { kube_pods_subnet: '10.233.64.0' }, /^kube_pods_subnet: '10\.233\.64\.0' is not a CIDR$/],
    ['a node prefix larger than the pod range', { kube_network_node_prefix: 16 }, /^kube_network_node_prefix: \/16 per node/],
    ['files_repo with a trailing slash', { files_repo: 'http://mirror/' }, /^files_repo: .*malformed/],
    ['registry_host with a scheme', { registry_host: 'https://mirror:5000' }, /^registry_host: .*malformed/],
    ['registry_host with a path', { registry_host: 'mirror:5000/k8s' }, /^registry_host: .*malformed/],
    ['etcd in docker (not shipped)', { etcd_deployment_type: 'docker' }, /^etcd_deployment_type: has the value "docker", which is not supported$/],
  ])('refuses %s', async (_name, change, expected) => {
    const found = await subjects({ ...GOOD, ...change });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  it('accepts well-formed mirror settings', async () => {
    expect(await subjects({ ...GOOD, files_repo: 'https://mirror.example:8080/files', registry_host: 'mirror.example:5000' })).toEqual([]);
  });

  it.each([
    ['an even etcd count', { ...GROUPS, etcd: ['n1', 'n2'] }, /^\[etcd\]: has 2 hosts \(n1, n2\)/],
    ['no control plane', { ...GROUPS, kube_control_plane: [] }, /^\[kube_control_plane\]: has no hosts$/],
    ['no etcd with host etcd', { ...GROUPS, etcd: [] }, /^\[etcd\]: has no hosts$/],
  ])('refuses %s', async (_name, groups, expected) => {
    const found = await subjects(GOOD, groups);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  it('allows an even or empty etcd group when kubeadm runs etcd', async () => {
    expect(await subjects({ ...GOOD, etcd_deployment_type: 'kubeadm' }, { ...GROUPS, etcd: [] })).toEqual([]);
  });
});

describe('problem messages name the variable and where the inventory sets it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-validate-'));
  mkdirSync(join(dir, 'group_vars', 'k8s_cluster'), { recursive: true });
  writeFileSync(join(dir, 'inventory.ini'), '[kube_control_plane]\nn1\n\n[etcd]\nn1\nn2\n\n[kube_node]\nn2\n');
  writeFileSync(join(dir, 'group_vars', 'k8s_cluster', 'k8s-cluster.yml'), '# ranges\nkube_service_addresses: 10.233.0.0/18\nkube_pods_subnet: 10.233.0.0/16\n');

  it('finds group_vars lines and inventory groups', () => {
    expect(whereSet('kube_pods_subnet', join(dir, 'inventory.ini'), dir, dir)).toEqual(['group_vars/k8s_cluster/k8s-cluster.yml:3']);
    expect(whereSet('[etcd]', join(dir, 'inventory.ini'), dir, dir)).toEqual(['inventory.ini:4']);
    expect(whereSet('container_manager', join(dir, 'inventory.ini'), dir, dir)).toEqual([]);
  });

  it('renders one message for all problems', () => {
    const text = renderProblems([
      { subject: '[etcd]', message: 'has 2 hosts', hint: 'use an odd number' },
      { subject: 'container_manager', message: 'has the value "rkt"' },
    ], join(dir, 'inventory.ini'), dir);
    const lines = text.split('\n');
    expect(lines[0]).toBe('the inventory is not valid (2 problems); no host was changed:');
    expect(lines[1]).toMatch(/^ {2}- \[etcd\] \(.*inventory\.ini:4\): has 2 hosts; use an odd number$/);
    expect(lines[2]).toBe('  - container_manager (not set in the inventory: the default applies): has the value "rkt"');
  });
});
