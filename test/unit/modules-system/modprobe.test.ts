import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modprobe } from '../../../engine/modules/modprobe.js';
import { harness, tripsOf } from '../modules/context.js';

// Read-only on the real machine: state=present of a module that is already there changes
// nothing and never runs modprobe (this kernel has no /lib/modules; see lab-notes).
describe('modprobe on this machine (read-only cases)', () => {
  it.each([
    ['overlay', existsSync('/sys/module/overlay')],
    ['br_netfilter', existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables')],
  ])('%s built in counts as loaded: no change, no error, one round trip', async (name, present) => {
    if (!present) return;
    const { result, trips } = await tripsOf(harness(), modprobe, { name, state: 'present' });
    expect(result).toEqual({ changed: false, name, params: '', state: 'present' });
    expect(trips).toBe(1);
  });

  it('a built-in module cannot be removed: a clear failure, nothing run', async () => {
    const r = await harness().run(modprobe, { name: 'overlay', state: 'absent' }, { check: true });
    expect(r).toMatchObject({ failed: true, msg: 'module overlay is built into the kernel and cannot be unloaded' });
  });
});
