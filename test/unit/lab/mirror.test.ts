import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, KUBECTL_PATH, upstreamVersion } from '../../../engine/lab/mirror/artifacts.js';
import { renderLabMirrorVars } from '../../../engine/lab/mirror/vars.js';

describe('lab mirror artifacts', () => {
  it.each([
    ['3.4.23-4+b4', '3.4.23'], ['1.6.20~ds1-1+deb12u3', '1.6.20'], ['1:1.35.0-4+deb12u1', '1.35.0'], ['v1.32.4-dispatcher', '1.32.4'],
  ])('upstream version of %s is %s', (deb, want) => {
    expect(upstreamVersion(deb.replace(/^v/, ''))).toBe(want);
  });

  it('puts each archive at the upstream release path (Kubespray download URL shapes)', () => {
    const paths = Object.fromEntries(ARTIFACTS.map((a) => [a.component, a.path('1.2.3', 'amd64')]));
    expect(paths).toEqual({
      etcd: 'github.com/etcd-io/etcd/releases/download/v1.2.3/etcd-v1.2.3-linux-amd64.tar.gz',
      containerd: 'github.com/containerd/containerd/releases/download/v1.2.3/containerd-1.2.3-linux-amd64.tar.gz',
      runc: 'github.com/opencontainers/runc/releases/download/v1.2.3/runc.amd64',
      cni: 'github.com/containernetworking/plugins/releases/download/v1.2.3/cni-plugins-linux-amd64-v1.2.3.tgz',
    });
    expect(KUBECTL_PATH('1.32.4', 'amd64')).toBe('dl.k8s.io/release/v1.32.4/bin/linux/amd64/kubectl');
  });
});

describe('lab-mirror.yml', () => {
  const text = renderLabMirrorVars({
    labName: 'demo', ip: '10.88.9.10', caPem: '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n',
    files: [
      { component: 'etcd', version: '3.4.23', kubesprayVersion: 'v3.4.23', path: 'github.com/x', sha256: 'a'.repeat(64) },
      { component: 'containerd', version: '1.6.20', kubesprayVersion: '1.6.20', path: 'github.com/y', sha256: 'b'.repeat(64) },
      { component: 'kubectl', version: '1.32.4', kubesprayVersion: 'v1.32.4', path: 'dl.k8s.io/z', sha256: 'c'.repeat(64) },
    ],
  });
  const vars = parse(text) as Record<string, unknown>;

  it('sets the air-gap switches to the mirror', () => {
    expect(vars.files_repo).toBe('http://10.88.9.10');
    expect(vars.registry_host).toBe('10.88.9.10:5000');
  });

  it("pins the lab's versions and checksums in Kubespray's tables", () => {
    expect(vars.etcd_version).toBe('v3.4.23');
    expect(vars.etcd_binary_checksums).toEqual({ amd64: { 'v3.4.23': 'a'.repeat(64) } });
    expect(vars.containerd_version).toBe('1.6.20');
    expect(vars.containerd_archive_checksums).toEqual({ amd64: { '1.6.20': 'b'.repeat(64) } });
    expect(vars.kube_version).toBe('v1.32.4');
    expect(vars.kubectl_checksums).toEqual({ amd64: { 'v1.32.4': 'c'.repeat(64) } });
  });

  it('routes registry.k8s.io through the mirror, trusts the lab CA and changes no machine-wide sysctl', () => {
    expect(vars.containerd_registries_mirrors).toEqual([
      { prefix: 'registry.k8s.io', mirrors: [{ host: 'https://10.88.9.10:5000', capabilities: ['pull', 'resolve'], skip_verify: false }] },
    ]);
    expect(vars.custom_ca_certs).toEqual([{ name: 'tsplay-lab-demo', content: '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n' }]);
    expect(vars.kube_global_sysctls).toEqual({});
  });

  it('pre-pulls only the image the mirror serves (the network and add-on images are pulled by the kubelet)', () => {
    expect(vars.download_prepull_images).toEqual(['pod_infra']);
  });
});
