import { describe, expect, it } from 'vitest';
import { apt } from '../../../engine/modules/apt.js';
import { dnf } from '../../../engine/modules/dnf.js';
import { dpkg_selections } from '../../../engine/modules/dpkg_selections.js';
import { get_url } from '../../../engine/modules/get_url.js';
import { group } from '../../../engine/modules/group.js';
import { hostname } from '../../../engine/modules/hostname.js';
import { modprobe } from '../../../engine/modules/modprobe.js';
import { mount } from '../../../engine/modules/mount.js';
import { packageModule } from '../../../engine/modules/package.js';
import { service } from '../../../engine/modules/service.js';
import { sysctl } from '../../../engine/modules/sysctl.js';
import { systemd_service } from '../../../engine/modules/systemd_service.js';
import { unarchive } from '../../../engine/modules/unarchive.js';
import { uri } from '../../../engine/modules/uri.js';
import { user } from '../../../engine/modules/user.js';
import { ModuleArgValidator } from '../../../engine/modules/validate.js';
import { wait_for } from '../../../engine/modules/wait_for.js';
import type { ModuleDef } from '../../../engine/types/module.js';

const v = new ModuleArgValidator();
const ok = (m: ModuleDef, a: Record<string, unknown>): void => {
  v.check(m, a);
};

describe('argument schemas: good args pass, a typo or a bad choice is one clear error', () => {
  it.each([
    [get_url, { url: 'http://x/a', dest: '/tmp/a', checksum: 'sha256:ab', mode: '0755', timeout: 10, headers: { A: 'b' } }],
    [unarchive, { src: 'a.tgz', dest: '/opt', remote_src: true, extra_opts: ['--strip-components=1'], include: ['x'] }],
    [packageModule, { name: ['a', 'b'], state: 'present' }],
    [apt, { name: 'kubeadm=1.32.3-1.1', state: 'present', update_cache: 'yes', cache_valid_time: 3600 }],
    [dnf, { name: ['containerd'], state: 'latest' }],
    [dpkg_selections, { name: 'kubelet', selection: 'hold' }],
    [systemd_service, { name: 'kubelet', state: 'restarted', enabled: true, daemon_reload: true, masked: false }],
    [service, { name: 'kubelet', state: 'started', enabled: 'yes' }],
    [sysctl, { name: 'net.ipv4.ip_forward', value: 1, sysctl_file: '/etc/sysctl.d/k8s.conf', reload: true }],
    [modprobe, { name: 'br_netfilter', state: 'present', persistent: 'present' }],
    [mount, { path: '/x', src: 'tmpfs', fstype: 'tmpfs', state: 'mounted' }],
    [user, { name: 'etcd', system: true, shell: '/sbin/nologin', groups: 'a,b', create_home: false }],
    [group, { name: 'etcd', system: true }],
    [hostname, { name: 'node1', use: 'systemd' }],
    [wait_for, { host: '10.0.0.1', port: 6443, delay: 0, timeout: 60, state: 'started' }],
    [uri, { url: 'https://x', method: 'POST', body: { a: 1 }, body_format: 'json', status_code: [200, 201], validate_certs: false }],
  ] as [ModuleDef, Record<string, unknown>][])('%s accepts typical args', (m, a) => expect(() => ok(m, a)).not.toThrow());

  it.each([
    [get_url, { url: 'x', dest: 'y', checksumm: 'sha256:ab' }, /Unsupported parameters for \(get_url\) module: checksumm/],
    [get_url, { dest: 'y' }, /missing required arguments: url/],
    [systemd_service, { name: 'x', state: 'running' }, /value of state must be one of: started, stopped, restarted, reloaded, got: running/],
    [sysctl, { name: 'x', value: '1', state: 'on' }, /value of state must be one of/],
    [mount, { path: '/x' }, /missing required arguments: state/],
    [apt, { name: 'x', state: 'installedd' }, /value of state must be one of/],
    [user, { name: 'x', shel: '/bin/sh' }, /Unsupported parameters for \(user\) module: shel/],
    [modprobe, { name: 'x', persistent: 'yes' }, /value of persistent must be one of/],
    [dpkg_selections, { name: 'x' }, /missing required arguments: selection/],
    [uri, { url: 'x', body_format: 'xml' }, /value of body_format must be one of/],
    [wait_for, { port: 1, state: 'up' }, /value of state must be one of/],
    [unarchive, { src: 'a', dest: 'b', extra: '--x' }, /Unsupported parameters for \(unarchive\) module: extra/],
  ] as [ModuleDef, Record<string, unknown>, RegExp][])('%s rejects %j', (m, a, re) => expect(() => ok(m, a)).toThrow(re));
});
