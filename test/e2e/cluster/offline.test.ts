import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tsplay } from './cluster-helpers.js';

// No lab: these runs render on the controller only (the sample's hosts do not exist).
const FILES_REPO = 'http://files.mirror.internal:8080/k8s';
const REGISTRY = 'registry.mirror.internal:5000';
const IMAGES = ['docker.io/flannel/flannel:v0.26.7', 'docker.io/flannel/flannel-cni-plugin:v1.6.2-flannel1',
  'registry.k8s.io/coredns/coredns:v1.12.1', 'docker.io/library/nginx:1.28.0-alpine', 'registry.k8s.io/pause:3.10'];
let work: string;
let offline: string;
let online: string;

function sampleCopy(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-offline-'));
  cpSync(join(ROOT, 'inventory', 'sample'), dir, { recursive: true });
  writeFileSync(join(dir, 'group_vars', 'all', 'zz-test.yml'), extra);
  return join(dir, 'inventory.ini');
}

/** Every variable of the defaults that names where something is fetched from. */
function sourceVariables(): string[] {
  const dir = join(ROOT, 'roles', 'kubespray_defaults', 'defaults', 'main');
  const defaults = Object.assign({}, ...['download.yml', 'network.yml', 'apps.yml'].map((f) => parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>));
  return Object.keys(defaults).filter((k) => /(_download_url|_url|_image_repo|_repo)$/.test(k) && k !== 'files_repo');
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-offline-work-'));
  offline = sampleCopy(`files_repo: "${FILES_REPO}"\nregistry_host: "${REGISTRY}"\n`);
  online = sampleCopy('{}\n');
});

describe('tsplay offline list', () => {
  it('lists every enabled file with its upstream URL, mirror path and pinned sha256', () => {
    const out = join(work, 'lists');
    const r = tsplay(['offline', 'list', '-i', online, '--out', out], work);
    expect(r.code, r.out).toBe(0);
    const files = readFileSync(join(out, 'files.list'), 'utf8').trim().split('\n').map((l) => l.split(' '));
    expect(files.map((f) => f[1])).toEqual([
      'github.com/etcd-io/etcd/releases/download/v3.5.27/etcd-v3.5.27-linux-amd64.tar.gz',
      'github.com/containerd/containerd/releases/download/v1.7.13/containerd-1.7.13-linux-amd64.tar.gz',
      'github.com/opencontainers/runc/releases/download/v1.1.12/runc.amd64',
      'github.com/containernetworking/plugins/releases/download/v1.8.0/cni-plugins-linux-amd64-v1.8.0.tgz',
      'github.com/kubernetes-sigs/cri-tools/releases/download/v1.34.0/crictl-v1.34.0-linux-amd64.tar.gz',
      'dl.k8s.io/release/v1.34.4/bin/linux/amd64/kubectl',
      'dl.k8s.io/release/v1.34.4/bin/linux/amd64/kubeadm',
      'dl.k8s.io/release/v1.34.4/bin/linux/amd64/kubelet',
    ]);
    for (const [url, path, sum] of files) {
      expect(url).toBe(`https://${path}`);
      expect(sum).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    // the sample's network plugin (flannel), CoreDNS, the workers' nginx-proxy and the sandbox
    expect(readFileSync(join(out, 'images.list'), 'utf8')).toBe(IMAGES.map((i) => `${i} ${i}`).join('\n') + '\n');
  }, 120_000);

  it('follows the versions the inventory pins', () => {
    const inv = sampleCopy('etcd_version: v3.5.26\n');
    const out = join(work, 'pinned');
    expect(tsplay(['offline', 'list', '-i', inv, '--out', out], work).code).toBe(0);
    expect(readFileSync(join(out, 'files.list'), 'utf8')).toContain('etcd-v3.5.26-linux-amd64.tar.gz sha256:0a682a91201dc8351d507210bc30b021a11e254eab806f03224b51e8fad29abb');
  }, 120_000);

  it('keeps the upstream host as first folder when files_repo is set', () => {
    const out = join(work, 'offline');
    expect(tsplay(['offline', 'list', '-i', offline, '--out', out], work).code).toBe(0);
    const paths = readFileSync(join(out, 'files.list'), 'utf8').trim().split('\n').map((l) => l.split(' ')[1]);
    expect(paths.every((p) => /^(github\.com|dl\.k8s\.io)\//.test(p!))).toBe(true);
    const mirrored = IMAGES.map((i) => `${i.replace(/^[^/]+/, REGISTRY)} ${i}`);
    expect(readFileSync(join(out, 'images.list'), 'utf8')).toBe(mirrored.join('\n') + '\n');
  }, 120_000);
});

describe('with files_repo and registry_host set, nothing else is contacted', () => {
  it('every URL and image source of the defaults derives from them', () => {
    const names = sourceVariables();
    expect(names.length).toBeGreaterThan(8);
    const playbook = join(work, 'sources.yml');
    writeFileSync(playbook, [
      '- hosts: k8s_cluster', '  gather_facts: false', '  roles: [kubespray_defaults]', '  tasks:',
      '    - debug:', '        msg: "{{ item }}"', '      run_once: true', '      loop:',
      ...names.map((n) => `        - "{{ ${n} }}"`),
      ...['"{{ downloads | dict2items | selectattr(\'value.url\', \'defined\') | map(attribute=\'value.url\') | join(\' \') }}"',
        '"{{ downloads | dict2items | selectattr(\'value.repo\', \'defined\') | map(attribute=\'value.repo\') | join(\' \') }}"'].map((x) => `        - ${x}`),
    ].join('\n') + '\n');
    const r = tsplay([playbook, '-i', offline], work);
    expect(r.code, r.out).toBe(0);
    const values = [...r.out.matchAll(/"msg": "([^"]*)"/g)].flatMap((m) => m[1]!.split(' '));
    expect(values.length).toBeGreaterThanOrEqual(names.length);
    const leaks = values.filter((v) => !v.startsWith(`${FILES_REPO}/`) && !v.startsWith(`${REGISTRY}`));
    expect(leaks).toEqual([]);
    expect(values.filter((v) => v.startsWith('http') && !v.startsWith(FILES_REPO))).toEqual([]);
  }, 120_000);
});
