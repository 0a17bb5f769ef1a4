import { readFile, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLabPackages, labDown, labStatus, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { leftoverHostCgroups } from '../../../engine/lab/cgroups.js';
import { labNetnsRe } from '../../../engine/lab/ownership.js';
import { isAlive, waitGone } from '../../../engine/lab/processes.js';
import { expectNothingLeft, pidsInLab, ssh } from './lab-helpers.js';

// Needs root (CI is root on this machine kind): namespaces, a bridge, overlay mounts.
const opts = { name: 'tsplaytest', subnet: '10.88.7', hosts: 3, kind: 'systemd' as const, log: (l: string) => console.log(l) };

describe('lab with systemd hosts (debootstrap + systemd-nspawn)', () => {
  let state: LabState;

  beforeAll(async () => {
    await labDown(opts); // a previous crashed run must not make this one fail
    state = await labUp(opts);
  }, 600_000);

  afterAll(async () => {
    await labDown(opts);
  }, 120_000);

  it('each host answers over ssh with its own hostname, its host key checked strictly', async () => {
    const names = await Promise.all(state.hosts.map((h) => ssh(state, h.ip, 'hostname')));
    expect(names.map((r) => r.stdout.trim())).toEqual(['node1', 'node2', 'node3']);
  });

  it('runs real systemd: the system finishes booting and ssh.service is active', async () => {
    const r = await ssh(state, state.hosts[0].ip, 'systemctl is-system-running --wait; systemctl is-active ssh.service');
    expect(r.stdout.trim().split('\n')).toEqual(['running', 'active']);
  });

  it('gives every host its own machine-id', async () => {
    const ids = await Promise.all(state.hosts.map((h) => ssh(state, h.ip, 'cat /etc/machine-id')));
    expect(new Set(ids.map((r) => r.stdout.trim())).size).toBe(3);
  });

  it('refuses a host whose key does not match the recorded one', async () => {
    const lines = (await readFile(state.knownHosts, 'utf8')).split('\n').filter((l) => l.startsWith('10.88.7.12,'));
    const forged = `${state.stateDir}/forged_known_hosts`;
    await writeFile(forged, lines.map((l) => l.replace('10.88.7.12,node2', '10.88.7.11')).join('\n') + '\n');
    const r = await ssh(state, '10.88.7.11', 'true', forged);
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });

  it('lets hosts reach each other but has no route out', async () => {
    const r = await ssh(state, state.hosts[0].ip, [
      'for ip in 10.88.7.12 10.88.7.13; do timeout 3 bash -c "echo > /dev/tcp/$ip/22" && echo reach-$ip; done',
      'echo "default=[$(ip route show default)]"',
      'ip route get 1.1.1.1 2>&1 || true',
    ].join('; '));
    expect(r.stdout).toContain('reach-10.88.7.12\nreach-10.88.7.13\n');
    expect(r.stdout).toContain('default=[]');
    expect(r.stdout).toMatch(/Network is unreachable/);
  });

  it('finds every package the lab needs installed after an up (nothing left to install)', async () => {
    const lines: string[] = [];
    expect(await ensureLabPackages('systemd', (l) => lines.push(l))).toEqual([]);
    expect(await ensureLabPackages('netns', (l) => lines.push(l))).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('reuses the running lab on a second up (same processes, no rebuild)', async () => {
    const t = Date.now();
    const again = await labUp(opts);
    expect(again.hosts.map((h) => h.pid)).toEqual(state.hosts.map((h) => h.pid));
    expect(Date.now() - t).toBeLessThan(3_000);
    const st = await labStatus(opts);
    expect(st.hosts.map((h) => [h.name, h.running, h.ssh])).toEqual([['node1', true, true], ['node2', true, true], ['node3', true, true]]);
  });

  it('recreates a lab whose host died behind its back', async () => {
    await killBehindTheLabsBack(state.hosts[1].pid);
    const st = await labStatus(opts);
    expect(st.hosts[1].running).toBe(false);
    const before = await pidsInLab(state);
    const fresh = await labUp(opts);
    expect(fresh.hosts[1].pid).not.toBe(state.hosts[1].pid);
    expect((await ssh(fresh, fresh.hosts[1].ip, 'hostname')).stdout.trim()).toBe('node2');
    await expectNoneAlive(before);
    state = fresh;
  });

  it('down after a crash (a host process killed) leaves no namespace, link, mount, process or state', async () => {
    await killBehindTheLabsBack(state.hosts[0].pid);
    const before = await pidsInLab(state);
    expect(before.length).toBeGreaterThan(3);
    const t = Date.now();
    await labDown(opts);
    console.log(`lab down took ${Date.now() - t} ms`);
    await expectNothingLeft(state, before);
  });
});

describe('lab down by name alone', () => {
  const elsewhere = { ...opts, name: 'tsplaytx', subnet: '10.88.4', hosts: 1, stateDir: '.tsplay/lab-elsewhere/tsplaytx' };
  afterAll(async () => {
    await labDown(elsewhere);
    await rm('.tsplay/lab-elsewhere', { recursive: true, force: true });
  }, 120_000);

  it('undoes a lab whose state directory it does not know (brought up from another directory)', async () => {
    const st = await labUp(elsewhere);
    const before = await pidsInLab(st);
    await labDown({ ...elsewhere, stateDir: undefined });
    expect(await leftoverHostCgroups(labNetnsRe('tsplaytx'))).toEqual([]);
    expect((await readFile('/proc/mounts', 'utf8')).includes(st.stateDir)).toBe(false);
    await expectNoneAlive([...before, st.hosts[0].pid]);
    expect((await labStatus(elsewhere)).hosts.map((h) => h.running)).toEqual([false]);
  });
});

async function killBehindTheLabsBack(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  expect(await waitGone([pid], 5_000)).toBe(true);
}

async function expectNoneAlive(pids: readonly number[]): Promise<void> {
  const alive = await Promise.all(pids.map(isAlive));
  expect(pids.filter((_, i) => alive[i])).toEqual([]);
}
