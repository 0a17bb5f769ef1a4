import { describe, expect, it } from 'vitest';
import { parseLinkNames, parseNetnsNames } from '../../../engine/lab/network.js';
import { isLabLauncher, labLinkRe, labMounts, labNetnsRe, nspawnRootDir } from '../../../engine/lab/ownership.js';

const id = { name: 'tsplay', stateDir: '/p/.tsplay/lab/tsplay' };

describe('what the lab recognises as its own', () => {
  const launchers: { what: string; argv: string[]; ours: boolean }[] = [
    { what: 'nspawn in a lab namespace', argv: ['systemd-nspawn', '-D', '/x', '--network-namespace-path=/run/netns/tsplay-node12'], ours: true },
    { what: 'nspawn by full path', argv: ['/usr/bin/systemd-nspawn', '--network-namespace-path=/run/netns/tsplay-node1'], ours: true },
    { what: 'nspawn of another lab whose name extends ours', argv: ['systemd-nspawn', '--network-namespace-path=/run/netns/tsplay2-node1'], ours: false },
    { what: 'nspawn in a foreign namespace', argv: ['systemd-nspawn', '--network-namespace-path=/run/netns/other'], ours: false },
    { what: 'nsenter before it execs unshare', argv: ['nsenter', '--net=/run/netns/tsplay-node3', 'unshare'], ours: true },
    { what: 'unshare running our init.sh', argv: ['unshare', '--fork', 'bash', '/p/.tsplay/lab/tsplay/hosts/node2/init.sh', 'node2'], ours: true },
    { what: 'unshare running an init.sh elsewhere', argv: ['unshare', 'bash', '/q/hosts/node2/init.sh'], ours: false },
    { what: 'a process that only mentions the namespace', argv: ['bash', '-c', 'sleep --network-namespace-path=/run/netns/tsplay-node1'], ours: false },
    { what: 'a zombie (empty cmdline)', argv: [], ours: false },
  ];
  it.each(launchers)('$what: ours=$ours', ({ argv, ours }) => {
    expect(isLabLauncher(argv, id)).toBe(ours);
  });

  it('matches its namespaces and links by name only', () => {
    expect(['tsplay-node1', 'tsplay-node10', 'tsplay2-node1', 'tsplay-nodex'].filter((n) => labNetnsRe('tsplay').test(n))).toEqual(['tsplay-node1', 'tsplay-node10']);
    expect(['tsplay-br', 'tsplay-v3', 'tsplay-brx', 'tsplayv3', 'eth0'].filter((n) => labLinkRe('tsplay').test(n))).toEqual(['tsplay-br', 'tsplay-v3']);
  });

  it('lists its mounts deepest first and ignores a sibling directory', () => {
    const mounts = [
      'overlay /p/.tsplay/lab/tsplay/hosts/node1/root overlay rw 0 0',
      'proc /p/.tsplay/lab/tsplay/hosts/node1/root/proc proc rw 0 0',
      'overlay /p/.tsplay/lab/tsplay2/hosts/node1/root overlay rw 0 0',
      '/dev/vda / ext4 rw 0 0',
    ].join('\n');
    expect(labMounts(mounts, '/p/.tsplay/lab/tsplay')).toEqual([
      '/p/.tsplay/lab/tsplay/hosts/node1/root/proc', '/p/.tsplay/lab/tsplay/hosts/node1/root',
    ]);
  });

  it('parses `ip -o link` and `ip netns list` output', () => {
    expect(parseLinkNames('1: lo: <LOOPBACK,UP> mtu 65536\n7: tsplay-v1@if2: <BROADCAST> mtu 1500 master tsplay-br\n')).toEqual(['lo', 'tsplay-v1']);
    expect(parseNetnsNames('tsplay-node2 (id: 1)\ntsplay-node1\n')).toEqual(['tsplay-node2', 'tsplay-node1']);
  });
});

describe('the root directory of a running systemd-nspawn', () => {
  const cases: { argv: string[]; root: string | null }[] = [
    { argv: ['systemd-nspawn', '-D', '/s/hosts/node1/root', '-M', 'x'], root: '/s/hosts/node1/root' },
    { argv: ['/usr/bin/systemd-nspawn', '--directory=/r'], root: '/r' },
    { argv: ['systemd-nspawn', '--directory', '/r2'], root: '/r2' },
    { argv: ['unshare', '-D', '/r'], root: null },
    { argv: [], root: null },
  ];
  it.each(cases)('$argv → $root', ({ argv, root }) => {
    expect(nspawnRootDir(argv)).toBe(root);
  });
});
