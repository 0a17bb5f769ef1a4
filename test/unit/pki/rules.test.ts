import { describe, expect, it } from 'vitest';
import { serverUrl } from '../../../engine/pki/kubeconfig.js';
import { apiserverSans, firstServiceIp, hostOfEndpoint, sanSet, sansCover } from '../../../engine/pki/sans.js';
import { kubeadmDate, shortHumanDuration, tabwrite } from '../../../engine/pki/tabwriter.js';

const S = 1000;
const H = 3600 * S;
const D = 24 * H;

describe('shortHumanDuration (apimachinery duration.ShortHumanDuration)', () => {
  it.each([
    [-2 * S, '<invalid>'], [-1 * S, '0s'], [-500, '0s'], [0, '0s'], [59 * S, '59s'], [60 * S, '1m'], [59 * 60 * S, '59m'],
    [H, '1h'], [23 * H, '23h'], [D, '1d'], [364 * D + 23 * H, '364d'], [365 * D, '1y'], [3645 * D, '9y'], [3650 * D, '10y'],
  ])('%d ms -> %s', (ms, text) => expect(shortHumanDuration(ms)).toBe(text));
});

describe('kubeadm date layout "Jan 02, 2006 15:04 MST"', () => {
  it.each([
    ['2026-08-19T09:03:59Z', 'Aug 19, 2026 09:03 UTC'],
    ['2030-01-02T00:00:00Z', 'Jan 02, 2030 00:00 UTC'],
  ])('%s -> %s', (iso, text) => expect(kubeadmDate(new Date(iso))).toBe(text));
});

describe("tabwrite (Go text/tabwriter, kubeadm's minwidth 10 / padding 3)", () => {
  it.each([
    ['short cells pad to minwidth', 'a\tb\tc', 'a         b         c'],
    ['wide cells get padding 3', 'abcdefghij\tx\nk\ty', 'abcdefghij   x\nk            y'],
    ['the last cell is never padded', 'a\tlast   ', 'a         last   '],
    ['a blank line starts a new alignment block', 'abcdefghijkl\tx\n\nk\ty', 'abcdefghijkl   x\n\nk         y'],
    ['a line with fewer cells ends the column block', 'abcdefghijkl\tx\tz\nonly\nk\ty\tw', 'abcdefghijkl   x         z\nonly\nk         y         w'],
  ])('%s', (_name, input, output) => expect(tabwrite(input)).toBe(output));
});

describe('SAN rules', () => {
  it.each([
    ['10.96.0.0/12', '10.96.0.1'], ['10.233.0.0/18', '10.233.0.1'], ['10.233.5.7/18', '10.233.0.1'],
    ['fd00:10:96::/112', 'fd00:10:96::1'], ['2001:db8::/64', '2001:db8::1'],
  ])('first service IP of %s is %s', (cidr, ip) => expect(firstServiceIp(cidr)).toBe(ip));

  it.each([
    ['lb.example:6443', 'lb.example'], ['10.0.0.1', '10.0.0.1'], ['[fd00::1]:6443', 'fd00::1'], ['fd00::1', 'fd00::1'], ['api', 'api'],
  ])('endpoint %s has host %s', (ep, host) => expect(hostOfEndpoint(ep)).toBe(host));

  it.each([
    ['lb.example:6443', 'https://lb.example:6443'], ['10.0.0.1', 'https://10.0.0.1:6443'], ['fd00::1', 'https://[fd00::1]:6443'], ['[fd00::1]:443', 'https://[fd00::1]:443'],
  ])('server URL for %s is %s', (ep, url) => expect(serverUrl(ep, 6443)).toBe(url));

  it('apiserver SANs: kubeadm names, service IPs (dual stack), node, control planes, endpoint, extras, no duplicates', () => {
    const s = apiserverSans({
      node: { name: 'cp1', ip: '10.0.0.11' }, controlPlanes: [{ name: 'cp1', ip: '10.0.0.11' }, { name: 'cp2', ip: '10.0.0.12' }],
      dnsDomain: 'k8s.local', serviceSubnet: '10.96.0.0/12,fd00:96::/112', controlPlaneEndpoint: '10.0.0.100:6443', extraSans: ['API.example', 'api.example'],
    });
    expect(s.dns).toEqual(['cp1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.k8s.local', 'cp2', 'API.example']);
    expect(s.ips).toEqual(['10.96.0.1', 'fd00:96::1', '10.0.0.11', '10.0.0.12', '10.0.0.100']);
  });

  it.each([
    ['same set', ['a', '10.0.0.1'], ['a', '10.0.0.1'], true],
    ['extra SANs in the existing cert are fine', ['a', 'b', '10.0.0.1'], ['a', '10.0.0.1'], true],
    ['a missing DNS name forces a reissue', ['a'], ['a', 'b'], false],
    ['IPv6 compared by value, DNS case-insensitively', ['A', '0:0:0:0:0:0:0:1'], ['a', '::1'], true],
  ])('sansCover: %s', (_n, have, want, ok) => expect(sansCover(sanSet(have), sanSet(want))).toBe(ok));
});
