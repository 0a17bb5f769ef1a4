import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

/**
 * Kubespray v2.23.3 as a user has it: the published tarball (../shared/kubespray) extracted into a
 * temporary folder, run unchanged by both engines with its own ansible.cfg.
 */
export const ROOT = join(__dirname, '..', '..', '..');
export const TARBALL = join(ROOT, '..', 'shared', 'kubespray', 'kubespray-v2.23.3.tar.gz');

export interface KubesprayTree {
  readonly dir: string;
  readonly inventory: string;
}

export interface HostAddr {
  readonly name: string;
  readonly ip: string;
}

/**
 * The sample inventory filled for 4 hosts the way its comments describe: 2 control-plane nodes,
 * 3 etcd members, 3 workers (node2 and node3 are both).
 */
export function inventoryIni(hosts: readonly HostAddr[], hostVars: string): string {
  const [n1, n2, n3, n4] = hosts;
  const line = (h: HostAddr, etcd?: string) => `${h.name} ansible_host=${h.ip} ip=${h.ip}${etcd ? ` etcd_member_name=${etcd}` : ''} ${hostVars}`.trimEnd();
  return `[all]
${line(n1!, 'etcd1')}
${line(n2!, 'etcd2')}
${line(n3!, 'etcd3')}
${line(n4!)}

[kube_control_plane]
${n1!.name}
${n2!.name}

[etcd]
${n1!.name}
${n2!.name}
${n3!.name}

[kube_node]
${n2!.name}
${n3!.name}
${n4!.name}

[calico_rr]

[k8s_cluster:children]
kube_control_plane
kube_node
calico_rr
`;
}

/** Extracts the tarball and copies inventory/sample to inventory/t with the given inventory.ini. */
export function extractKubespray(hosts: readonly HostAddr[], hostVars = ''): KubesprayTree {
  const tmp = mkdtempSync(join(tmpdir(), 'tsplay-ks-'));
  execFileSync('tar', ['-xzf', TARBALL, '-C', tmp]);
  const dir = join(tmp, 'kubespray-2.23.3');
  execFileSync('cp', ['-r', join(dir, 'inventory', 'sample'), join(dir, 'inventory', 't')]);
  const inventory = join(dir, 'inventory', 't', 'inventory.ini');
  writeFileSync(inventory, inventoryIni(hosts, hostVars));
  return { dir, inventory };
}

/** Both engines see Kubespray's own ansible.cfg (library = ./library, roles_path), nothing of the caller's. */
export function kubesprayEnv(tree: KubesprayTree, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return isolatedEnv({ ANSIBLE_CONFIG: join(tree.dir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ...extra });
}
