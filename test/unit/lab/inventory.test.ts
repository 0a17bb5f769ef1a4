import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labGroups, renderLabInventory } from '../../../engine/lab/inventory.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `node${i + 1}`);

describe('lab inventory groups (Kubespray-like)', () => {
  const cases: { hosts: number; cp: string[]; etcd: string[]; nodes: string[] }[] = [
    { hosts: 1, cp: ['node1'], etcd: ['node1'], nodes: ['node1'] },
    { hosts: 2, cp: ['node1'], etcd: ['node1'], nodes: ['node2'] },
    { hosts: 3, cp: ['node1'], etcd: ['node1', 'node2', 'node3'], nodes: ['node2', 'node3'] },
    { hosts: 5, cp: ['node1'], etcd: ['node1', 'node2', 'node3'], nodes: ['node2', 'node3', 'node4', 'node5'] },
  ];
  it.each(cases)('$hosts hosts: control plane first host, odd etcd, the rest are nodes (all if alone)', (c) => {
    const g = labGroups(names(c.hosts));
    expect(g.kube_control_plane).toEqual(c.cp);
    expect(g.etcd).toEqual(c.etcd);
    expect(g.kube_node).toEqual(c.nodes);
  });
});

describe('rendered lab inventory as ansible-core reads it', () => {
  it('gives groups, host vars and the known_hosts ssh option exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsplay-labinv-'));
    try {
      const text = renderLabInventory({
        labName: 'x', kind: 'systemd', privateKey: '/s/id_ed25519', knownHosts: '/s/known_hosts',
        hosts: [{ name: 'node1', ip: '10.1.2.11' }, { name: 'node2', ip: '10.1.2.12' }, { name: 'node3', ip: '10.1.2.13' }],
      });
      writeFileSync(join(dir, 'inventory.ini'), text);
      // The oracle: ansible-inventory's own reading of the file.
      const out = JSON.parse(execFileSync('ansible-inventory', ['-i', join(dir, 'inventory.ini'), '--list'], { cwd: dir, env: isolatedEnv(), encoding: 'utf8' }));
      expect(out.kube_control_plane.hosts).toEqual(['node1']);
      expect(out.etcd.hosts).toEqual(['node1', 'node2', 'node3']);
      expect(out.kube_node.hosts).toEqual(['node2', 'node3']);
      expect(out.k8s_cluster.children).toEqual(['kube_control_plane', 'kube_node']);
      expect(out._meta.hostvars.node2).toEqual({
        ansible_host: '10.1.2.12', ip: '10.1.2.12', access_ip: '10.1.2.12', ansible_user: 'root', ansible_ssh_private_key_file: '/s/id_ed25519',
        ansible_ssh_common_args: '-o UserKnownHostsFile=/s/known_hosts -o StrictHostKeyChecking=yes',
        ansible_python_interpreter: '/usr/bin/python3',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
