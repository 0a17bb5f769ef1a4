import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { waitGone } from '../../../engine/lab/processes.js';
import { expectNothingLeft, pidsInLab, ssh } from './lab-helpers.js';

// Needs root (CI is root on this machine kind): namespaces, a bridge, mounts.
const opts = { name: 'tsplaytn', subnet: '10.88.6', hosts: 2, kind: 'netns' as const, log: (l: string) => console.log(l) };

describe('lab with namespace hosts (no systemd)', () => {
  let state: LabState;

  beforeAll(async () => {
    await labDown(opts);
    state = await labUp(opts);
  }, 120_000);

  afterAll(async () => {
    await labDown(opts);
  }, 120_000);

  it('each host answers over ssh with its own hostname and /etc/hostname', async () => {
    const out = await Promise.all(state.hosts.map((h) => ssh(state, h.ip, 'hostname; cat /etc/hostname')));
    expect(out.map((r) => r.stdout)).toEqual(['node1\nnode1\n', 'node2\nnode2\n']);
  });

  it("gives each host its own /root, never the machine's (whose .bashrc may run pyenv)", async () => {
    const machineRoot = statSync('/root');
    const r = await ssh(state, state.hosts[0].ip, 'stat -c %d:%i /root; ls -A /root');
    const [devIno, ...files] = r.stdout.trim().split('\n');
    expect(devIno).not.toBe(`${machineRoot.dev}:${machineRoot.ino}`);
    expect(files.sort()).toEqual(['.bash_logout', '.bashrc', '.profile', '.ssh']);
  });

  it('lets hosts reach each other but has no route out', async () => {
    const r = await ssh(state, state.hosts[1].ip, [
      'timeout 3 bash -c "echo > /dev/tcp/10.88.6.11/22" && echo reach-node1',
      'echo "default=[$(ip route show default)]"',
      'ip route get 1.1.1.1 2>&1 || true',
    ].join('; '));
    expect(r.stdout).toContain('reach-node1\n');
    expect(r.stdout).toContain('default=[]');
    expect(r.stdout).toMatch(/Network is unreachable/);
  });

  it('keeps files written on a host to that host', async () => {
    await ssh(state, state.hosts[0].ip, 'echo only-here > /etc/tsplay-lab-marker');
    const other = await ssh(state, state.hosts[1].ip, 'cat /etc/tsplay-lab-marker 2>&1 || echo absent');
    expect(other.stdout).toMatch(/absent/);
    expect(statSync('/etc/tsplay-lab-marker', { throwIfNoEntry: false })).toBeUndefined();
  });

  it('down after a crash (unshare killed) leaves no namespace, link, mount, process or state', async () => {
    process.kill(state.hosts[0].pid, 'SIGKILL');
    expect(await waitGone([state.hosts[0].pid], 5_000)).toBe(true);
    const before = await pidsInLab(state);
    await labDown(opts);
    await expectNothingLeft(state, before);
  });
});
