import { describe, expect, it } from 'vitest';
import { planHosts, resolveLabOptions } from '../../../engine/lab/options.js';
import { mirrorPlan } from '../../../engine/lab/mirror/host.js';
import { labLinkRe, labNetnsRe } from '../../../engine/lab/ownership.js';

describe('lab options', () => {
  it('defaults: 3 systemd hosts on 10.88.0 with state under the project', () => {
    const o = resolveLabOptions({}, '/proj');
    expect(o).toMatchObject({
      name: 'tsplay', hosts: 3, kind: 'systemd', subnet: '10.88.0', containers: false,
      stateDir: '/proj/.tsplay/lab/tsplay', cacheDir: '/var/cache/tsplay/rootfs-bookworm', bridge: 'tsplay-br',
    });
  });

  it('puts the mirror host at .10 with kernel names the lab teardown recognises', () => {
    const o = resolveLabOptions({ name: 'abcdefghij', subnet: '10.9.8', mirror: true }, '/p');
    expect(o.mirror).toBe(true);
    expect(mirrorPlan(o)).toEqual({ name: 'mirror', ip: '10.9.8.10', netns: 'abcdefghij-node0', veth: 'abcdefghij-v0', dir: '/p/.tsplay/lab/abcdefghij/hosts/mirror' });
    expect(labNetnsRe('abcdefghij').test('abcdefghij-node0') && labLinkRe('abcdefghij').test('abcdefghij-v0')).toBe(true);
  });

  it('derives per-host names, addresses from .11 and kernel names within 15 characters', () => {
    const hosts = planHosts(resolveLabOptions({ name: 'abcdefghij', hosts: 120, subnet: '10.9.8' }, '/p'));
    expect(hosts[0]).toEqual({ name: 'node1', ip: '10.9.8.11', netns: 'abcdefghij-node1', veth: 'abcdefghij-v1', dir: '/p/.tsplay/lab/abcdefghij/hosts/node1' });
    expect(hosts[119].ip).toBe('10.9.8.130');
    expect(Math.max(...hosts.map((h) => h.veth.length), 'abcdefghij-br'.length)).toBeLessThanOrEqual(15);
  });

  const invalid: { what: string; opts: Parameters<typeof resolveLabOptions>[0]; message: RegExp }[] = [
    { what: 'a name with a dash (interface names are parsed by it)', opts: { name: 'my-lab' }, message: /invalid lab name/ },
    { what: 'a name too long for interface names', opts: { name: 'abcdefghijk' }, message: /invalid lab name/ },
    { what: 'zero hosts', opts: { hosts: 0 }, message: /invalid host count 0/ },
    { what: 'more hosts than the /24 holds', opts: { hosts: 245 }, message: /invalid host count 245/ },
    { what: 'a subnet with four octets', opts: { subnet: '10.88.0.0' }, message: /invalid lab subnet/ },
    { what: 'a subnet octet over 255', opts: { subnet: '10.300.0' }, message: /invalid lab subnet/ },
    { what: 'an unknown kind', opts: { kind: 'docker' as 'netns' }, message: /invalid lab kind/ },
    { what: 'a mirror on netns hosts', opts: { kind: 'netns', mirror: true }, message: /the lab mirror needs systemd hosts/ },
    { what: 'a state dir with a blank', opts: { stateDir: '/tmp/my lab' }, message: /contains blanks or quotes/ },
  ];
  it.each(invalid)('rejects $what as an option error with a hint', ({ opts, message }) => {
    expect(() => resolveLabOptions(opts, '/p')).toThrow(message);
    try {
      resolveLabOptions(opts, '/p');
    } catch (e) {
      expect(e).toMatchObject({ name: 'OptionError', code: 'option' });
      expect((e as { hint?: string }).hint).toBeTruthy();
    }
  });
});
