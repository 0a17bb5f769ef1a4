import { describe, expect, it } from 'vitest';
import { parseDpkgQuery, parsePolicy } from '../../../engine/modules/apt.js';
import { dnfProbeScript } from '../../../engine/modules/dnf.js';
import { escapeFstab, setMount, unsetMount } from '../../../engine/modules/system/fstab.js';
import { parseHead } from '../../../engine/modules/system/http-response.js';
import { aptAction, parseAptSpec } from '../../../engine/modules/system/pkgspec.js';
import { fnmatch } from '../../../engine/python/fnmatch.js';
import { parseSections, section } from '../../../engine/modules/system/sections.js';
import { isEnabled, parseSystemctlShow } from '../../../engine/modules/system/systemctl.js';
import { planSystemd, readSystemdArgs } from '../../../engine/modules/systemd_service.js';

describe('fstab editing (ansible.posix.mount set_mount/unset_mount)', () => {
  const tab = '# /etc/fstab\nUUID=1 / ext4 defaults 0 1\ntmpfs /mnt/a tmpfs size=1m 0 0\n';
  it.each([
    ['same entry: unchanged', { src: 'tmpfs', name: '/mnt/a', fstype: 'tmpfs', opts: 'size=1m', dump: '0', passno: '0' }, tab, false],
    ['other opts: the line is replaced in place', { src: 'tmpfs', name: '/mnt/a', fstype: 'tmpfs', opts: 'size=2m', dump: '0', passno: '0' }, tab.replace('size=1m', 'size=2m'), true],
    ['new path: appended', { src: '/srv', name: '/mnt/b c', fstype: 'none', opts: 'bind', dump: '0', passno: '0' }, `${tab}/srv /mnt/b\\040c none bind 0 0\n`, true],
  ])('%s', (_n, entry, want, changed) => expect(setMount(tab, entry)).toEqual({ text: want, changed }));

  it('a 4-field line defaults dump and passno to 0', () => {
    expect(setMount('tmpfs /x tmpfs defaults\n', { src: 'tmpfs', name: '/x', fstype: 'tmpfs', opts: 'defaults', dump: '0', passno: '0' }).changed).toBe(false);
  });
  it('unset drops the entry and keeps comments', () => expect(unsetMount(tab, '/mnt/a')).toEqual({ text: '# /etc/fstab\nUUID=1 / ext4 defaults 0 1\n', changed: true }));
  it('escapes like ansible', () => expect(escapeFstab('a b&c\\')).toBe('a\\040b\\046c\\134'));
});

describe('systemd decisions', () => {
  const status = (ActiveState: string): Record<string, string> => ({ ActiveState, LoadState: 'loaded' });
  const probe = (active: string, enabledRc: number, enabledOut: string) => ({ systemd: true, status: status(active), found: true, enabledRc, enabledOut });
  it.each([
    ['started when inactive', { state: 'started' }, probe('inactive', 0, 'enabled\n'), ['start'], { state: 'started' }],
    ['started when activating: nothing', { state: 'started' }, probe('activating', 0, 'enabled\n'), [], { state: 'started' }],
    ['stopped when deactivating', { state: 'stopped' }, probe('deactivating', 0, 'enabled\n'), ['stop'], { state: 'stopped' }],
    ['reloaded when stopped starts it', { state: 'reloaded' }, probe('inactive', 0, 'enabled\n'), ['start'], { state: 'started' }],
    ['restarted when running', { state: 'restarted' }, probe('active', 0, 'enabled\n'), ['restart'], { state: 'started' }],
    ['enabled when static: is-enabled rc 0 counts', { enabled: true }, probe('active', 0, 'static\n'), [], { enabled: true }],
    ['enabled when indirect: not enabled', { enabled: true }, probe('active', 0, 'indirect\n'), ['enable'], { enabled: true }],
    ['mask then disable, in ansible order', { masked: true, enabled: false }, probe('inactive', 0, 'enabled\n'), ['mask', 'disable'], { enabled: false }],
  ])('%s', (_n, args, p, actions, fields) => {
    const r = planSystemd(readSystemdArgs({ name: 'x', ...args }), p);
    expect(r.actions).toEqual(actions);
    expect(r.result).toMatchObject({ ...fields, changed: actions.length > 0 });
  });

  it('parses systemctl show, multi-line Exec values included', () => {
    const s = parseSystemctlShow('Id=x.service\nExecStart={ path=/bin/sleep ; argv[]=/bin/sleep\n infinity ; ignore_errors=no }\nActiveState=active\n');
    expect(s).toEqual({ Id: 'x.service', ExecStart: '{ path=/bin/sleep ; argv[]=/bin/sleep\n infinity ; ignore_errors=no }', ActiveState: 'active' });
    expect(isEnabled(1, 'disabled\n')).toBe(false);
  });
});

describe('apt package decisions', () => {
  it.each([
    ['present, not installed', 'curl', {}, 'present', { op: 'fail', msg: "No package matching 'curl' is available" }],
    ['present, candidate only', 'curl', { candidate: '7.88' }, 'present', { op: 'install', spec: 'curl' }],
    ['present, installed', 'curl', { installed: '7.88', candidate: '7.89' }, 'present', undefined],
    ['latest, newer candidate', 'curl', { installed: '7.88', candidate: '7.89' }, 'latest', { op: 'install', spec: 'curl' }],
    ['pin matches with a wildcard', 'kubeadm=1.32.*', { installed: '1.32.3-1.1' }, 'present', undefined],
    ['pin differs', 'kubeadm=1.33.0-1.1', { installed: '1.32.3-1.1', candidate: '1.33.0-1.1' }, 'present', { op: 'install', spec: 'kubeadm=1.33.0-1.1' }],
    ['absent, installed', 'curl', { installed: '7.88' }, 'absent', { op: 'remove', spec: 'curl' }],
    ['absent, not installed', 'curl', {}, 'absent', undefined],
  ] as const)('%s', (_n, raw, st, state, want) => {
    const spec = parseAptSpec(raw);
    if (typeof spec === 'string') throw new Error(spec);
    expect(aptAction(spec, st, state)).toEqual(want);
  });

  it('rejects a spec with two =', () => expect(parseAptSpec('a=1=2')).toBe('invalid package spec: a=1=2'));
  it('fnmatch', () => expect([fnmatch('1.32.3-1.1', '1.32.*'), fnmatch('1.33.0', '1.32*'), fnmatch('a', '[ab]')]).toEqual([true, false, true]));

  it('reads dpkg-query status: held packages are installed, rc leftovers are not', () => {
    expect([...parseDpkgQuery('curl\tii \t7.88\nkubelet\thi \t1.32\nold\trc \t1.0\n')]).toEqual([['curl', '7.88'], ['kubelet', '1.32']]);
  });
  it('reads apt-cache policy candidates', () => {
    expect([...parsePolicy('curl:\n  Installed: 7.88\n  Candidate: 7.89\n  Version table:\nfoo:\n  Installed: (none)\n  Candidate: (none)\n')]).toEqual([['curl', '7.89'], ['foo', undefined]]);
  });
});

describe('small parsers', () => {
  it('sections split back by name', () => {
    expect([...parseSections(`noise\n@@TSPLAY-SEC a\n1\n2\n@@TSPLAY-SEC b\n`)]).toEqual([['a', '1\n2\n'], ['b', '']]);
    expect(() => section('bad name', 'true')).toThrow();
  });
  it('http head: the last response after redirects, lower-cased keys, joined repeats', () => {
    const h = parseHead('HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\nHTTP/1.1 200 OK\r\nX-A: 1\r\nX-A: 2\r\nContent-Type: text/plain\r\n\r\n');
    expect(h).toEqual({ status: 200, reason: 'OK', headers: { x_a: '1, 2', content_type: 'text/plain' }, cookies: {} });
  });
  it('dnf probe asks rpm per spec and dnf check-update for latest', () => {
    expect(dnfProbeScript(['kubelet-1.32.3'], true)).toContain("rpm -q --whatprovides kubelet-1.32.3 >/dev/null 2>&1 && echo \"i 0\" || echo \"n 0\"; dnf -q check-update kubelet-1.32.3");
  });
});
