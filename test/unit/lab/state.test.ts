import { describe, expect, it } from 'vitest';
import { allLabHosts, parseLabState } from '../../../engine/lab/state.js';
import type { LabState } from '../../../engine/lab/state.js';

const valid: LabState = {
  version: 1, name: 'tsplay', kind: 'systemd', subnet: '10.88.0', bridge: 'tsplay-br', containers: false,
  stateDir: '/p/.tsplay/lab/tsplay', cacheDir: '/var/cache/tsplay/rootfs-bookworm',
  privateKey: '/p/.tsplay/lab/tsplay/id_ed25519', knownHosts: '/p/.tsplay/lab/tsplay/known_hosts',
  inventory: '/p/.tsplay/lab/tsplay/inventory.ini', createdAt: '2025-01-01T00:00:00.000Z',
  hosts: [
    { name: 'node1', ip: '10.88.0.11', netns: 'tsplay-node1', veth: 'tsplay-v1', pid: 4242, rootDir: '/p/root' },
    { name: 'node2', ip: '10.88.0.12', netns: 'tsplay-node2', veth: 'tsplay-v2', pid: 4243, rootDir: null },
  ],
};

describe('lab state parsing', () => {
  it('round-trips what lab up writes', () => {
    expect(parseLabState(JSON.stringify(valid, null, 2))).toEqual(valid);
  });

  it('round-trips a lab with a mirror host, which allLabHosts lists last', () => {
    const mirror = { name: 'mirror', ip: '10.88.0.10', netns: 'tsplay-node0', veth: 'tsplay-v0', pid: 4240, rootDir: '/p/mroot' };
    const parsed = parseLabState(JSON.stringify({ ...valid, mirror }));
    expect(parsed.mirror).toEqual(mirror);
    expect(allLabHosts(parsed).map((h) => h.name)).toEqual(['node1', 'node2', 'mirror']);
    expect(allLabHosts(valid).map((h) => h.name)).toEqual(['node1', 'node2']);
  });

  const damaged: { what: string; text: string; message: RegExp }[] = [
    { what: 'not JSON', text: '{"version":1,', message: /not JSON/ },
    { what: 'an array', text: '[]', message: /unknown version/ },
    { what: 'a future version', text: JSON.stringify({ ...valid, version: 2 }), message: /unknown version 2/ },
    { what: 'an unknown kind', text: JSON.stringify({ ...valid, kind: 'docker' }), message: /field kind/ },
    { what: 'a missing inventory', text: JSON.stringify({ ...valid, inventory: undefined }), message: /field inventory/ },
    { what: 'a host without pid', text: JSON.stringify({ ...valid, hosts: [{ ...valid.hosts[0], pid: undefined }] }), message: /hosts\[0\]\.pid/ },
    { what: 'a host with pid 0', text: JSON.stringify({ ...valid, hosts: [{ ...valid.hosts[0], pid: 0 }] }), message: /hosts\[0\]\.pid/ },
    { what: 'a mirror without pid', text: JSON.stringify({ ...valid, mirror: { ...valid.hosts[0], pid: undefined } }), message: /mirror\.pid/ },
    { what: 'a host that is a string', text: JSON.stringify({ ...valid, hosts: ['node1'] }), message: /hosts\[0\] is not an object/ },
  ];
  it.each(damaged)('rejects $what with a lab error naming the problem', ({ text, message }) => {
    let err: unknown;
    try {
      parseLabState(text, '/s/state.json');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ name: 'TsplayError', code: 'lab' });
    expect((err as Error).message).toMatch(/^damaged lab state \/s\/state\.json: /);
    expect((err as Error).message).toMatch(message);
    expect((err as { hint?: string }).hint).toMatch(/tsplay lab down/);
  });
});
