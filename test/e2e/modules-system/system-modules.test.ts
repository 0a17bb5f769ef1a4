import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apt } from '../../../engine/modules/apt.js';
import { dpkg_selections } from '../../../engine/modules/dpkg_selections.js';
import { get_url } from '../../../engine/modules/get_url.js';
import { group } from '../../../engine/modules/group.js';
import { hostname } from '../../../engine/modules/hostname.js';
import { modprobe } from '../../../engine/modules/modprobe.js';
import { mount } from '../../../engine/modules/mount.js';
import { packageModule } from '../../../engine/modules/package.js';
import { sysctl } from '../../../engine/modules/sysctl.js';
import { unarchive } from '../../../engine/modules/unarchive.js';
import { uri } from '../../../engine/modules/uri.js';
import { user } from '../../../engine/modules/user.js';
import { wait_for } from '../../../engine/modules/wait_for.js';
import type { ModuleDef } from '../../../engine/types/module.js';
import { closeLab, LAB, openLabHost, type LabHost } from './lab-context.js';
import { service } from '../../../engine/modules/service.js';
import { systemd_service } from '../../../engine/modules/systemd_service.js';
// One file on purpose: both suites use the same lab (name + subnet), so they must not run in parallel.
// in /usr/lib like a packaged unit: systemctl cannot mask a unit whose file lives in /etc
const UNIT = `[Unit]
Description=tsplay demo
[Service]
ExecStart=/bin/sleep infinity
ExecReload=/bin/true
[Install]
WantedBy=multi-user.target
`;

describe('systemd_service / service on a real systemd lab host', () => {
  let h: LabHost;
  beforeAll(async () => {
    h = await openLabHost();
    await h.sh(`systemctl disable --now tsdemo 2>/dev/null; systemctl unmask tsdemo 2>/dev/null; rm -f /etc/systemd/system/tsdemo.service; cat > /usr/lib/systemd/system/tsdemo.service <<'X'\n${UNIT}X`);
  }, 120_000);
  afterAll(() => closeLab(h), 60_000);

  it('started + enabled with daemon_reload: changes, then a second run is ok in one round trip', async () => {
    const args = { name: 'tsdemo', state: 'started', enabled: true, daemon_reload: true };
    const first = await h.run(systemd_service, args);
    expect(first).toMatchObject({ changed: true, name: 'tsdemo', state: 'started', enabled: true });
    expect((first.status as Record<string, string>).ActiveState).toBe('inactive');
    expect(await h.sh('systemctl is-active tsdemo; systemctl is-enabled tsdemo')).toBe('active\nenabled\n');
    const again = await h.trips(systemd_service, { name: 'tsdemo', state: 'started', enabled: true });
    expect(again.result).toMatchObject({ changed: false, state: 'started', enabled: true });
    expect((again.result.status as Record<string, string>)).toMatchObject({ ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled', LoadState: 'loaded' });
    expect(Number((again.result.status as Record<string, string>).MainPID)).toBeGreaterThan(0);
    expect(again.trips).toBe(1);
  });

  it('check mode reports a stop and leaves the service running', async () => {
    const r = await h.run(systemd_service, { name: 'tsdemo', state: 'stopped', enabled: false }, { check: true });
    expect(r).toMatchObject({ changed: true, state: 'stopped', enabled: false });
    expect(await h.sh('systemctl is-active tsdemo; systemctl is-enabled tsdemo')).toBe('active\nenabled\n');
  });

  it('restarted always changes and reports state started; the MainPID changes', async () => {
    const before = (await h.sh('systemctl show -p MainPID --value tsdemo')).trim();
    const r = await h.run(systemd_service, { name: 'tsdemo', state: 'restarted' });
    expect(r).toMatchObject({ changed: true, state: 'started' });
    expect((await h.sh('systemctl show -p MainPID --value tsdemo')).trim()).not.toBe(before);
  });

  it('service delegates to systemd (facts say systemd, or the probe finds it)', async () => {
    const r1 = await h.run(service, { name: 'tsdemo', state: 'stopped' }, { vars: { ansible_facts: { service_mgr: 'systemd' } } });
    expect(r1).toMatchObject({ changed: true, state: 'stopped' });
    const r2 = await h.trips(service, { name: 'tsdemo', state: 'stopped' });
    expect([r2.result.changed, r2.trips]).toEqual([false, 1]);
    expect(await h.sh('systemctl is-active tsdemo || true')).toBe('inactive\n');
  });

  it('masked: mask, then ok; unmask', async () => {
    expect((await h.run(systemd_service, { name: 'tsdemo', masked: true, enabled: false })).changed).toBe(true);
    expect(await h.sh('systemctl is-enabled tsdemo || true')).toBe('masked\n');
    expect((await h.run(systemd_service, { name: 'tsdemo', masked: true })).changed).toBe(false);
    expect((await h.run(systemd_service, { name: 'tsdemo', masked: false })).changed).toBe(true);
  });

  it('an unknown unit fails like ansible; bad args are rejected by the schema', async () => {
    const r = await h.run(systemd_service, { name: 'nope-tsplay', state: 'started' });
    expect(r).toMatchObject({ failed: true, msg: 'Could not find the requested service nope-tsplay: host' });
    await expect(h.run(systemd_service, { name: 'x', state: 'running' })).rejects.toThrow(/value of state must be one of/);
    await expect(h.run(service, { name: 'x', state: 'started', bogus: 1 })).rejects.toThrow(/Unsupported parameters for \(service\) module: bogus/);
  });
});

const BRIDGE = `${LAB.subnet}.1`;

/** Every module case: first run changes, check mode first changes nothing, second run is ok. */
async function converge(h: LabHost, mod: ModuleDef, args: Record<string, unknown>, readBack: string, checkSkipped = false): Promise<{ trips: number; ms: number; first: Record<string, unknown>; second: Record<string, unknown> }> {
  const before = await h.sh(readBack);
  const checked = await h.run(mod, args, { check: true });
  // modules without check mode in ansible 2.14 (unarchive with GNU tar) are skipped instead
  if (checkSkipped) expect(checked.skipped, 'check mode skips the module').toBe(true);
  else expect(checked.changed, 'check mode reports the change').toBe(true);
  expect(await h.sh(readBack), 'check mode changed nothing').toBe(before);
  const first = await h.run(mod, args);
  expect(first.failed, JSON.stringify(first)).toBeUndefined();
  expect(first.changed).toBe(true);
  expect(await h.sh(readBack)).not.toBe(before);
  const { result: second, trips, ms } = await h.trips(mod, args);
  expect(second.failed, JSON.stringify(second)).toBeUndefined();
  expect(second.changed, 'second identical run is ok').toBe(false);
  return { trips, ms, first, second };
}

describe('system modules on a real lab host (systemd, air-gapped)', () => {
  let h: LabHost;
  let srv: Server;
  let work: string;
  const trips: Record<string, string> = {};

  beforeAll(async () => {
    h = await openLabHost();
    work = await mkdtemp(join(tmpdir(), 'tsplay-e2e-sys-'));
    srv = createServer((req, res) => {
      if (req.url === '/files/tool.txt') { res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('tool v1\n'); return; }
      if (req.url === '/files/SHA256SUMS') { res.end(`${createHash('sha256').update('tool v1\n').digest('hex')}  tool.txt\n`); return; }
      if (req.url === '/api') { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end('{"ok": true}'); return; }
      res.writeHead(404); res.end();
    });
    await new Promise<void>((r) => srv.listen(18780, BRIDGE, () => r()));
    await h.sh('userdel -r tsuser 2>/dev/null; groupdel tsgroup 2>/dev/null; umount /mnt/tsplay 2>/dev/null; rm -rf /mnt/tsplay /opt/tsplay /etc/tsplay-fstab /etc/sysctl.d/99-tsplay.conf /etc/modules-load.d/overlay.conf; dpkg -P tsplay-demo 2>/dev/null; true');
  }, 180_000);

  afterAll(async () => {
    console.log(`round trips on a no-change run: ${JSON.stringify(trips)}`);
    await new Promise<void>((r) => srv.close(() => r()));
    await rm(work, { recursive: true, force: true });
    await closeLab(h);
  }, 60_000);

  it('sysctl: a per-namespace key (net.*) live when the host allows it, a global key file-only', async () => {
    // nspawn lab hosts mount /proc/sys read-only (lab-notes: net.* is per-namespace, but nspawn
    // only opens /proc/sys/net with SYSTEMD_NSPAWN_API_VFS_WRITABLE=network): probe, then test what is possible
    const live = (await h.sh('sysctl -q -w net.ipv4.ip_forward="$(cat /proc/sys/net/ipv4/ip_forward)" 2>/dev/null && echo yes || echo no')).trim() === 'yes';
    const file = '/etc/sysctl.d/99-tsplay.conf';
    if (live) {
      await h.sh('sysctl -w net.ipv4.ip_forward=0');
      const r = await converge(h, sysctl, { name: 'net.ipv4.ip_forward', value: '1', sysctl_file: file, sysctl_set: true, reload: true }, `cat /proc/sys/net/ipv4/ip_forward; cat ${file} 2>/dev/null; true`);
      expect(await h.sh(`cat /proc/sys/net/ipv4/ip_forward ${file}`)).toBe('1\nnet.ipv4.ip_forward=1\n');
      trips.sysctl = `${r.trips} trip(s), ${r.ms} ms`;
    } else {
      const denied = await h.run(sysctl, { name: 'net.ipv4.ip_forward', value: (await h.sh('cat /proc/sys/net/ipv4/ip_forward')).trim() === '1' ? '0' : '1', sysctl_file: '/tmp/tsplay-sysctl.conf', sysctl_set: true, reload: false });
      expect(denied).toMatchObject({ failed: true });
      expect(String(denied.msg)).toMatch(/^setting net.ipv4.ip_forward failed: .*permission denied/);
      const r = await converge(h, sysctl, { name: 'net.ipv4.ip_forward', value: '1', sysctl_file: file, sysctl_set: false, reload: false }, `cat ${file} 2>/dev/null; true`);
      trips.sysctl = `${r.trips} trip(s), ${r.ms} ms`;
    }
    // vm.* is machine-wide: file only, never set or reloaded
    const g = await converge(h, sysctl, { name: 'vm.max_map_count', value: '262144', sysctl_file: file, sysctl_set: false, reload: false }, `cat ${file}`);
    expect(await h.sh(`cat ${file}`)).toBe('net.ipv4.ip_forward=1\nvm.max_map_count=262144\n');
    expect(g.trips).toBe(1);
  });

  it('modprobe: a built-in module is loaded (no change, no error); persistent=present writes modules-load.d', async () => {
    // a container's /sys may hide /sys/module/overlay; the registered file system proves it
    const builtin = (await h.sh('{ [ -d /sys/module/overlay ] || grep -qw overlay /proc/filesystems; } && echo yes')).trim() === 'yes';
    expect(builtin).toBe(true);
    const plain = await h.trips(modprobe, { name: 'overlay', state: 'present' });
    expect([plain.result.changed, plain.result.failed, plain.trips]).toEqual([false, undefined, 1]);
    if ((await h.sh('[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] && echo yes')).trim() === 'yes') {
      const bn = await h.trips(modprobe, { name: 'br_netfilter', state: 'present' });
      expect([bn.result.changed, bn.result.failed, bn.trips]).toEqual([false, undefined, 1]);
    }
    const r = await converge(h, modprobe, { name: 'overlay', state: 'present', persistent: 'present' }, 'cat /etc/modules-load.d/overlay.conf 2>/dev/null; true');
    expect(await h.sh('cat /etc/modules-load.d/overlay.conf')).toBe('overlay\n');
    trips.modprobe = `${r.trips} trip(s), ${r.ms} ms`;
  });

  it('mount: a tmpfs in a custom fstab, mounted then unmounted then absent', async () => {
    await h.sh('touch /etc/tsplay-fstab');
    const args = { path: '/mnt/tsplay', src: 'tmpfs', fstype: 'tmpfs', opts: 'size=1m', state: 'mounted', fstab: '/etc/tsplay-fstab' };
    const r = await converge(h, mount, args, 'cat /etc/tsplay-fstab; findmnt -n -o FSTYPE /mnt/tsplay; true');
    expect(await h.sh('cat /etc/tsplay-fstab; findmnt -n -o FSTYPE,OPTIONS /mnt/tsplay | cut -c1-5')).toBe('tmpfs /mnt/tsplay tmpfs size=1m 0 0\ntmpfs\n');
    trips.mount = `${r.trips} trip(s), ${r.ms} ms`;
    const diffRun = await h.run(mount, { ...args, opts: 'size=2m', state: 'present' }, { check: true, diff: true });
    expect(diffRun.diff).toMatchObject({ before: 'tmpfs /mnt/tsplay tmpfs size=1m 0 0\n', after: 'tmpfs /mnt/tsplay tmpfs size=2m 0 0\n' });
    await converge(h, mount, { path: '/mnt/tsplay', state: 'unmounted', fstab: '/etc/tsplay-fstab' }, 'findmnt -n /mnt/tsplay; true');
    await converge(h, mount, { path: '/mnt/tsplay', state: 'absent', fstab: '/etc/tsplay-fstab' }, 'cat /etc/tsplay-fstab; ls -d /mnt/tsplay 2>/dev/null; true');
  });

  it('hostname: set with hostnamectl, diff like ansible, back again', async () => {
    const diffRun = await h.run(hostname, { name: 'tsplay-renamed' }, { check: true, diff: true });
    expect(diffRun.diff).toEqual({ before: 'hostname = node1\n', after: 'hostname = tsplay-renamed\n' });
    const r = await converge(h, hostname, { name: 'tsplay-renamed' }, 'hostname; cat /etc/hostname');
    // the diff only in diff mode (-D), like ansible's display
    expect(r.first.diff).toBeUndefined();
    expect(await h.sh('hostname; cat /etc/hostname')).toBe('tsplay-renamed\ntsplay-renamed\n');
    trips.hostname = `${r.trips} trip(s), ${r.ms} ms`;
    expect((await h.run(hostname, { name: 'node1' })).changed).toBe(true);
  });

  it('group and user: create, then ok; groups, shell, password hash via stdin; ssh key; remove', async () => {
    const g = await converge(h, group, { name: 'tsgroup', gid: 4321 }, 'getent group tsgroup; true');
    expect(g.first).toMatchObject({ name: 'tsgroup', gid: 4321, state: 'present', system: false });
    trips.group = `${g.trips} trip(s), ${g.ms} ms`;
    const hash = '$6$saltsalt$Vdzh0qIZ7hOQ7aLr6t/6vH5nC7o4Gx0N2n2Sx6/Y2u5xN6I5oTQ7L6y1Jb8m3Tt0S3JkTqS2S9n2xr5l3nqV0.';
    const args = { name: 'tsuser', uid: 4321, groups: ['tsgroup'], shell: '/bin/sh', password: hash, generate_ssh_key: true, ssh_key_type: 'ed25519' };
    const u = await converge(h, user, args, 'getent passwd tsuser; id -Gn tsuser 2>/dev/null; true');
    expect(u.second).toMatchObject({ name: 'tsuser', uid: 4321, shell: '/bin/sh', home: '/home/tsuser', groups: 'tsgroup', password: 'NOT_LOGGING_PASSWORD', ssh_key_file: '/home/tsuser/.ssh/id_ed25519' });
    expect(String(u.second.ssh_public_key)).toMatch(/^ssh-ed25519 \S+ ansible-generated on node1$/);
    expect(String(u.second.ssh_fingerprint)).toMatch(/^256 SHA256:/);
    expect(await h.sh('getent shadow tsuser | cut -d: -f2; id -Gn tsuser; ls /home/tsuser/.ssh')).toBe(`${hash}\ntsuser tsgroup\nid_ed25519\nid_ed25519.pub\n`);
    expect(h.conn.commands.some((c) => c.includes(hash))).toBe(false);
    trips.user = `${u.trips} trip(s), ${u.ms} ms`;
    await converge(h, user, { name: 'tsuser', state: 'absent', remove: true }, 'getent passwd tsuser; true');
    await converge(h, group, { name: 'tsgroup', state: 'absent' }, 'getent group tsgroup; true');
  });

  it('wait_for: sshd port from the host, a path with a regex; elapsed reported', async () => {
    const r = await h.trips(wait_for, { host: '127.0.0.1', port: 22, timeout: 5 });
    expect(r.result).toMatchObject({ changed: false, elapsed: 0, port: 22, state: 'started' });
    expect(r.trips).toBe(1);
    trips.wait_for = `${r.trips} trip(s), ${r.ms} ms`;
    const t = await h.run(wait_for, { port: 1, timeout: 1 });
    expect(t).toMatchObject({ failed: true, elapsed: 1, msg: 'Timeout when waiting for 127.0.0.1:1' });
    expect((await h.run(wait_for, { path: '/etc/os-release', search_regex: 'VERSION_CODENAME=(\\w+)' })).match_groups).toEqual(['bookworm']);
  });

  it('get_url and uri: curl on the host reaches a server only the lab bridge offers', async () => {
    await h.sh('mkdir -p /opt/tsplay');
    const args = { url: `http://${BRIDGE}:18780/files/tool.txt`, dest: '/opt/tsplay/', checksum: `sha256:http://${BRIDGE}:18780/files/SHA256SUMS`, mode: '0755' };
    const r = await converge(h, get_url, args, 'cat /opt/tsplay/tool.txt 2>/dev/null; stat -c %a /opt/tsplay/tool.txt 2>/dev/null; true');
    expect(r.first).toMatchObject({ dest: '/opt/tsplay/tool.txt', status_code: 200, mode: '0755', msg: 'OK (8 bytes)' });
    expect(r.second.msg).toBe('file already exists');
    trips.get_url = `${r.trips} trip(s), ${r.ms} ms`;
    const bad = await h.run(get_url, { url: `http://${BRIDGE}:18780/files/tool.txt`, dest: '/opt/tsplay/bad.txt', checksum: 'sha256:00' });
    expect(bad.failed).toBe(true);
    expect(await h.sh('ls -A /opt/tsplay')).toBe('tool.txt\n');
    const api = await h.trips(uri, { url: `http://${BRIDGE}:18780/api` });
    expect(api.result).toMatchObject({ status: 200, json: { ok: true }, content_type: 'application/json' });
    trips.uri = `${api.trips} trip(s), ${api.ms} ms`;
  });

  it('unarchive: a controller tarball uploaded, --strip-components=1, second run is one probe', async () => {
    await mkdir(join(work, 'rel-1.0'));
    await writeFile(join(work, 'rel-1.0', 'bin-a'), 'a\n');
    execFileSync('tar', ['-czf', join(work, 'rel.tar.gz'), '-C', work, 'rel-1.0']);
    const args = { src: join(work, 'rel.tar.gz'), dest: '/opt/tsplay', extra_opts: ['--strip-components=1'] };
    const r = await converge(h, unarchive, args, 'ls /opt/tsplay', true);
    expect(await h.sh('cat /opt/tsplay/bin-a')).toBe('a\n');
    trips.unarchive = `${r.trips} trip(s), ${r.ms} ms`;
  });

  it('apt: a locally built .deb (deb=), then holding it with dpkg_selections; package present of an installed package', async () => {
    const root = join(work, 'deb');
    await mkdir(join(root, 'DEBIAN'), { recursive: true });
    await mkdir(join(root, 'usr/share/tsplay-demo'), { recursive: true });
    await writeFile(join(root, 'DEBIAN/control'), 'Package: tsplay-demo\nVersion: 1.2.3-1\nArchitecture: all\nMaintainer: tsplay <t@example.invalid>\nDescription: tsplay e2e demo\n');
    await writeFile(join(root, 'usr/share/tsplay-demo/README'), 'demo\n');
    execFileSync('dpkg-deb', ['--build', '--root-owner-group', root, join(work, 'tsplay-demo.deb')], { stdio: 'ignore' });
    await h.conn.putFile('/opt/tsplay-demo.deb', await import('node:fs/promises').then((f) => f.readFile(join(work, 'tsplay-demo.deb'))));
    const r = await converge(h, apt, { deb: '/opt/tsplay-demo.deb' }, "dpkg-query -W -f='${Status} ${Version}' tsplay-demo 2>/dev/null; true");
    expect(await h.sh("dpkg-query -W -f='${Version}' tsplay-demo")).toBe('1.2.3-1');
    trips.apt_deb = `${r.trips} trip(s), ${r.ms} ms`;
    const pin = await h.trips(apt, { name: 'tsplay-demo=1.2.*', state: 'present' });
    expect([pin.result.changed, pin.trips]).toEqual([false, 1]);
    const hold = await converge(h, dpkg_selections, { name: 'tsplay-demo', selection: 'hold' }, 'dpkg --get-selections tsplay-demo');
    expect(hold.first).toMatchObject({ before: 'install', after: 'hold' });
    trips.dpkg_selections = `${hold.trips} trip(s), ${hold.ms} ms`;
    const pkg = await h.trips(packageModule, { name: ['curl', 'tsplay-demo'], state: 'present' });
    expect(pkg.result.changed).toBe(false);
    trips.package_without_facts = `${pkg.trips} trip(s), ${pkg.ms} ms`;
    const pkgF = await h.run(packageModule, { name: 'tsplay-absent-pkg', state: 'absent' }, { vars: { ansible_facts: { pkg_mgr: 'apt' } } });
    expect(pkgF.changed).toBe(false);
    await h.run(dpkg_selections, { name: 'tsplay-demo', selection: 'install' });
    const rm1 = await h.run(apt, { name: 'tsplay-demo', state: 'absent', purge: true });
    expect(rm1.changed).toBe(true);
    expect((await h.run(apt, { name: 'tsplay-demo', state: 'absent' })).changed).toBe(false);
  });
});
