import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFacts } from '../../../engine/facts/gather.js';
import { factScript, splitSections, type FactArea } from '../../../engine/facts/script.js';
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

describe('the python section prints what json.dumps prints', () => {
  // ansible's own way (and the script's before it printed by hand): json.dumps of the same values
  const REFERENCE = `import sys,json
from importlib.util import find_spec
v=sys.version_info
print(json.dumps({"executable":sys.executable,"has_sslcontext":find_spec("_ssl") is not None,"type":sys.implementation.name,"version":{"major":v[0],"minor":v[1],"micro":v[2],"releaselevel":v[3],"serial":v[4]},"version_info":list(v)}))`;
  const snippet = /-I -S -c '([^']*)'/.exec(factScript(new Set(['min'])))![1]!;
  const section = splitSections(execFileSync('dash', ['-s'], { input: factScript(new Set(['min'])), encoding: 'utf8' })).get('python') ?? '';
  // the interpreter the script found (it tries /usr/bin/python3 before $PATH's)
  const python = (JSON.parse(section) as { executable: string }).executable;

  it('byte for byte, through the script', () => {
    expect(section).toBe(execFileSync(python, ['-I', '-S', '-c', REFERENCE], { encoding: 'utf8' }).trimEnd());
  });

  it('byte for byte for an interpreter path that needs escaping (quote, backslash, non-ASCII)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsplay-facts-py-'));
    try {
      const py = join(dir, 'py "th\u00f6n\\x');
      await symlink(python, py);
      const mine = execFileSync(py, ['-I', '-S', '-c', snippet], { encoding: 'utf8' });
      expect(mine).toContain('\\"th\\u00f6n\\\\x');
      expect(mine).toBe(execFileSync(py, ['-I', '-S', '-c', REFERENCE], { encoding: 'utf8' }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
