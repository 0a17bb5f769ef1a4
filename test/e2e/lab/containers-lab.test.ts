import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { ssh } from './lab-helpers.js';

// Lab-only `containers: true`: what containerd + runc need inside a systemd host.
const opts = { name: 'tsplaytc', subnet: '10.88.5', hosts: 1, containers: true, log: (l: string) => console.log(l) };

describe('lab hosts able to run containers (containers: true)', () => {
  let state: LabState;

  beforeAll(async () => {
    await labDown(opts);
    state = await labUp(opts);
  }, 600_000);

  afterAll(async () => {
    await labDown(opts);
  }, 120_000);

  it('has seccomp off, all capabilities, a non-overlay /var/lib/containerd and rw-remountable cgroups', async () => {
    const r = await ssh(state, state.hosts[0].ip, [
      'grep ^Seccomp: /proc/1/status',
      'grep ^CapEff: /proc/1/status',
      'stat -f -c %T /var/lib/containerd',
      'mount -o remount,bind,rw /sys/fs/cgroup/memory && echo memory-rw',
      'test -f /etc/systemd/system/containerd.service.d/10-tsplay-lab-cgroups.conf && echo dropin',
    ].join('; '));
    const [seccomp, capEff, fsType, memory, dropin] = r.stdout.trim().split('\n');
    expect(seccomp).toMatch(/^Seccomp:\s+0$/);
    expect(BigInt(`0x${capEff.split(/\s+/)[1]}`) & (1n << 21n)).toBe(1n << 21n); // CAP_SYS_ADMIN
    expect(fsType).not.toBe('overlayfs');
    expect([memory, dropin]).toEqual(['memory-rw', 'dropin']);
  });
});
