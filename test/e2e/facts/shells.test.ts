import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseFacts } from '../../../engine/facts/gather.js';
import { factScript, type FactArea } from '../../../engine/facts/script.js';
import { resolveSubset } from '../../../engine/facts/subset.js';

// The fact script is POSIX sh: Debian's /bin/sh is dash, RHEL's bash, Alpine's busybox ash (and
// busybox's own date has no -f: the script falls back to three date runs there). Each shell
// runs it on this machine and must give the same facts. busybox comes from .ci/run's busybox-static.
const SHELLS: [string, string[]][] = [['dash', ['-s']], ['bash', ['-s']], ['busybox', ['sh', '-s']]];

function gather(areas: ReadonlySet<FactArea>): Record<string, Record<string, unknown>> {
  const script = factScript(areas);
  const out: Record<string, Record<string, unknown>> = {};
  // the exit status is the last section's (gatherFacts ignores it too): only the output counts
  for (const [sh, args] of SHELLS) out[sh] = parseFacts(spawnSync(sh, args, { input: script, encoding: 'utf8' }).stdout, areas);
  return out;
}

/** Facts that change from one second to the next, or per shell (bash sets SHLVL and _). */
function stable(f: Record<string, unknown>): Record<string, unknown> {
  const { env: _e, uptime_seconds: _u, memfree_mb: _f, memory_mb: _m, mounts: _t, loadavg: _l, date_time, ...rest } = f;
  const dt = date_time as Record<string, string>;
  return { ...rest, date_time: { tz: dt.tz, tz_dst: dt.tz_dst, tz_offset: dt.tz_offset, date: dt.date } };
}

describe('the fact script gives the same facts under dash, bash and busybox sh', () => {
  // network facts are compared on the default route only: labs of other runs add interfaces to this machine
  it('min, hardware and virtual', () => {
    const byShell = gather(resolveSubset(['!network']));
    expect(byShell.dash).toHaveProperty('python.executable');
    expect(byShell.dash).toHaveProperty('kernel_version');
    expect(stable(byShell.bash)).toEqual(stable(byShell.dash));
    expect(stable(byShell.busybox)).toEqual(stable(byShell.dash));
    const mounts = (f: Record<string, unknown>) => (f.mounts as { mount: string }[]).map((m) => m.mount).sort();
    expect(mounts(byShell.busybox)).toEqual(mounts(byShell.dash));
  });

  it('network: default routes and loopback', () => {
    const byShell = gather(resolveSubset(['!all', 'network']));
    const pick = (f: Record<string, unknown>) => ({ v4: f.default_ipv4, v6: f.default_ipv6, lo: f.lo });
    expect(pick(byShell.dash).lo).toMatchObject({ device: 'lo', ipv4: { address: '127.0.0.1' } });
    for (const [sh] of SHELLS) expect(pick(byShell[sh]!)).toEqual(pick(byShell.dash!));
  });
});
