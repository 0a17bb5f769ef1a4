import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labStatus, labUp, runLabCommand, type LabState } from '../../../engine/lab/index.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';
import { ssh } from '../lab/lab-helpers.js';
import { hostFiles, runTsplay, tempsGone, waitSshd, type FaultKind, type Ran } from './host-faults.js';
import { DEST, nextVersion, preparePayloads, writeArgs, type Payloads, type WriterName } from './trials.js';

// Fault injection on real lab hosts: the controller is killed (SIGINT, SIGTERM, SIGKILL) or
// the host's sshd is killed at random points while copy/template/lineinfile write a large
// file, with and without become; then the disk fills up. Whatever happens, the destination
// holds the old content or the complete new content, and no temp file stays behind.
// Trials run on the three hosts at once to keep the suite to a few minutes.
const root = join(__dirname, '..', '..', '..');
const lab = { name: 'tsplayft', subnet: '10.88.15', hosts: 3, kind: 'systemd' as const, stateDir: join(root, '.tsplay', 'lab', 'tsplayft') };
const DIR = '/srv/faults';
const FULL = '/srv/full';
const KINDS: readonly FaultKind[] = ['SIGINT', 'SIGTERM', 'SIGKILL', 'sshd'];
const WRITERS: readonly WriterName[] = ['copy', 'template', 'lineinfile'];
const TRIALS_PER_KIND = 20;
let state: LabState;
let work: string;
let p: Payloads;
const env = isolatedEnv({ NO_COLOR: '1' });

function tsplay(args: readonly string[], fault?: Parameters<typeof runTsplay>[1]['fault']): Promise<Ran> {
  return runTsplay([join(root, 'bin', 'tsplay.js'), ...args, '-i', state.inventory], { cwd: work, env, fault });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-faults-'));
  state = await labUp({ ...lab, log: () => undefined });
  p = preparePayloads(work, { copy: 8 << 20, template: 3 << 20, lines: 3 << 19 });
  writeFileSync(join(work, 'lines-start.txt'), p.linesStart);
  writeFileSync(join(work, 'setup.yml'), `- hosts: all
  gather_facts: false
  tasks:
    - file: { path: ${DIR}, state: directory }
    - copy: { src: lines-start.txt, dest: ${DIR}/lines.txt }
    - shell: mkdir -p ${FULL} && (mountpoint -q ${FULL} || mount -t tmpfs -o size=20m tmpfs ${FULL})
`);
  const setup = await tsplay(['setup.yml']);
  expect(setup.code, setup.out).toBe(0);
}, 600_000);

afterAll(async () => {
  await labDown({ ...lab, log: () => undefined });
  rmSync(work, { recursive: true, force: true });
}, 120_000);

interface Trial {
  readonly kind: FaultKind;
  readonly writer: WriterName;
  readonly become: boolean;
  readonly afterMs: number;
  readonly before: string;
  readonly target: string;
  readonly after: string;
  readonly temps: readonly string[];
}

/** -vvv logs the write's EXEC line (`cat > TEMP`) just before the payload starts to flow. */
const WRITE_STARTS = /cat > \S*\.tsplay-[0-9a-f]+/;

/**
 * How long a write of each writer takes on this host from its EXEC line to the end of the run
 * (no fault): faults are then spread over that window, through transfer, check and rename.
 */
async function calibrate(hostIndex: number): Promise<Record<WriterName, number>> {
  const host = state.hosts[hostIndex]!;
  const out = {} as Record<WriterName, number>;
  for (const w of WRITERS) {
    const now = (await hostFiles(state, host.ip, DIR, [DEST[w]])).sums[DEST[w]]!;
    const r = await tsplay([...writeArgs(p, w, nextVersion(p, w, now), host.name, DIR, false), '-vvv'], { kind: 'SIGINT', afterMs: 3_600_000, host, trigger: WRITE_STARTS });
    expect(r.code, r.out.slice(-2000)).toBe(0);
    out[w] = r.afterTriggerMs ?? 1000;
  }
  return out;
}

/** A stuck step fails naming its trial instead of running into the hook's timeout. */
async function within<T>(ms: number, label: string, step: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not finish in ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([step(), stuck]);
  } finally {
    clearTimeout(timer);
  }
}

/** One host's share of the trials, one after the other (hosts run in parallel). */
async function trialsOn(hostIndex: number, indices: readonly number[]): Promise<Trial[]> {
  const host = state.hosts[hostIndex]!;
  const window = await calibrate(hostIndex);
  const current = (await hostFiles(state, host.ip, DIR, Object.values(DEST))).sums;
  const out: Trial[] = [];
  for (const g of indices) {
    const kind = KINDS[g % KINDS.length]!;
    const writer = WRITERS[Math.floor(g / KINDS.length) % WRITERS.length]!;
    const become = Math.floor(g / (KINDS.length * WRITERS.length)) % 2 === 1;
    const version = nextVersion(p, writer, current[DEST[writer]]!);
    // random points from the write's start through transfer, verification, rename and a bit after
    const afterMs = Math.floor(Math.random() * window[writer] * 1.3);
    const label = `trial ${g} on ${host.name} (${kind}, ${writer}, become=${become}, after ${afterMs} ms)`;
    const { temps, after } = await within(240_000, label, async () => {
      await tsplay([...writeArgs(p, writer, version, host.name, DIR, become), '-vvv'], { kind, afterMs, host, trigger: WRITE_STARTS });
      if (kind === 'sshd') await waitSshd(host.ip);
      const gone = await tempsGone(state, host.ip, DIR);
      return { temps: gone, after: (await hostFiles(state, host.ip, DIR, [DEST[writer]])).sums[DEST[writer]]! };
    });
    out.push({ kind, writer, become, afterMs, before: current[DEST[writer]]!, target: p.sha[writer][version], after, temps });
    current[DEST[writer]] = after;
  }
  return out;
}

describe('killed mid-write: old content or complete new content, never partial, no temp file', () => {
  let trials: Trial[] = [];

  beforeAll(async () => {
    const total = TRIALS_PER_KIND * KINDS.length;
    const byHost = state.hosts.map((_, h) => Array.from({ length: total }, (_x, g) => g).filter((g) => g % state.hosts.length === h));
    trials = (await Promise.all(byHost.map((indices, h) => trialsOn(h, indices)))).flat();
    // where the faults landed: before the rename (old kept) or after it (new content)
    for (const k of KINDS) {
      const mine = trials.filter((t) => t.kind === k && t.before !== t.target);
      console.log(`${k}: ${mine.length} trials, old kept ${mine.filter((t) => t.after === t.before).length}, new complete ${mine.filter((t) => t.after === t.target).length}`);
    }
  }, 900_000);

  it.each(KINDS)('%s: at least 20 trials, each ending in the old or the new content with no temp file', (kind) => {
    const mine = trials.filter((t) => t.kind === kind);
    expect(mine.length).toBeGreaterThanOrEqual(TRIALS_PER_KIND);
    for (const t of mine) {
      expect([t.before, t.target], JSON.stringify(t)).toContain(t.after);
      expect(t.temps, JSON.stringify(t)).toEqual([]);
    }
  });

  it('covers every writer with and without become, and the faults hit both before and after the rename', () => {
    for (const w of WRITERS) for (const b of [false, true]) expect(trials.some((t) => t.writer === w && t.become === b)).toBe(true);
    expect(trials.filter((t) => t.after === t.target && t.before !== t.target).length).toBeGreaterThan(0);
    expect(trials.filter((t) => t.after === t.before && t.before !== t.target).length).toBeGreaterThan(0);
  });

  it('the next run completes every write and leaves no temp file', async () => {
    await Promise.all(state.hosts.map(async (host) => {
      for (const w of WRITERS) {
        const now = (await hostFiles(state, host.ip, DIR, [DEST[w]])).sums[DEST[w]]!;
        const v = nextVersion(p, w, now);
        const r = await tsplay(writeArgs(p, w, v, host.name, DIR, w !== 'copy'));
        expect(r.code, r.out).toBe(0);
        const after = await hostFiles(state, host.ip, DIR, [DEST[w]]);
        expect(after.sums[DEST[w]]).toBe(p.sha[w][v]);
        expect(after.temps).toEqual([]);
      }
    }));
  }, 300_000);
});

describe('a full disk', () => {
  const cases = WRITERS.flatMap((w) => [false, true].map((become) => ({ w, become })));

  /** Puts version A at dest on the small tmpfs, fills the rest, then tries to write B. */
  async function fullDisk(hostIndex: number, w: WriterName, become: boolean): Promise<void> {
    const host = state.hosts[hostIndex]!;
    await ssh(state, host.ip, `rm -rf ${FULL}/* ${FULL}/.[!.]*; cp ${DIR}/lines.txt ${FULL}/lines.txt`);
    const seed = await tsplay(writeArgs(p, w, 'A', host.name, FULL, become));
    expect(seed.code, seed.out).toBe(0);
    const free = await ssh(state, host.ip, `df -B1 --output=avail ${FULL} | tail -1`);
    // leave 256 KiB: far less than any payload
    await ssh(state, host.ip, `head -c $(( ${free.stdout.trim()} - 262144 )) /dev/zero > ${FULL}/filler`);
    const r = await tsplay(writeArgs(p, w, 'B', host.name, FULL, become));
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain('No space left on device');
    const after = await hostFiles(state, host.ip, FULL, [DEST[w]]);
    expect(after.sums[DEST[w]]).toBe(p.sha[w].A);
    expect(after.temps).toEqual([]);
    const freeAfter = await ssh(state, host.ip, `rm -f ${FULL}/filler; df -B1 --output=avail ${FULL} | tail -1`);
    expect(Number(freeAfter.stdout.trim())).toBe(Number(free.stdout.trim()));
  }

  it('copy, template and lineinfile, with and without become: the task fails with ENOSPC, dest keeps the old content, the space is given back', async () => {
    const byHost = state.hosts.map((_, h) => cases.filter((_c, i) => i % state.hosts.length === h));
    await Promise.all(byHost.map(async (mine, h) => {
      for (const c of mine) await fullDisk(h, c.w, c.become);
    }));
  }, 300_000);
});

describe('stopping remote commands', () => {
  it('SIGINT during a remote sleep: message, recap, exit 99, no process left on any host', async () => {
    writeFileSync(join(work, 'sleep.yml'), `- hosts: all
  gather_facts: false
  tasks:
    - shell: sleep 31; echo done > /root/slept
      become: "{{ inventory_hostname == 'node2' }}"
    - name: never starts
      command: touch /root/next
`);
    const r = await tsplay(['sleep.yml'], { kind: 'SIGINT', afterMs: 3000, host: state.hosts[0]! });
    expect(r.code, r.out).toBe(99);
    expect(r.out).toContain('[ERROR]: User interrupted execution');
    expect(r.out).toMatch(/PLAY RECAP \*+\n(node\d\s+: ok=0\s+changed=0\s+unreachable=0\s+failed=0.*\n){3}/);
    expect(r.out).not.toContain('never starts');
    for (const h of state.hosts) {
      const ps = await ssh(state, h.ip, `ps -eo args | grep -c '^sleep 31$' || true; ls /root/slept /root/next 2>&1 | grep -c 'No such' || true`);
      expect(ps.stdout.trim().split('\n'), h.name).toEqual(['0', '2']);
    }
  }, 120_000);

  it('timeout: fails the task at the deadline like ansible and kills the remote process group', async () => {
    writeFileSync(join(work, 'timeout.yml'), `- hosts: all
  gather_facts: false
  tasks:
    - shell: sleep 32
      become: true
      timeout: 2
`);
    const started = Date.now();
    const r = await tsplay(['timeout.yml']);
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(r.code, r.out).toBe(2);
    expect(r.out.match(/The shell action failed to execute in the expected time frame \(2\) and was terminated/g)).toHaveLength(3);
    for (const h of state.hosts) expect((await ssh(state, h.ip, `ps -eo args | grep -c '^sleep 32$' || true`)).stdout.trim()).toBe('0');
  }, 120_000);
});

describe('many aliases of few hosts (sshd MaxStartups)', () => {
  it('200 aliases of the 3 hosts with -f 50: every one ok, none falsely unreachable, no crash', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => {
      const h = state.hosts[i % state.hosts.length]!;
      return `a${i} ansible_host=${h.ip} ansible_user=root ansible_ssh_private_key_file=${state.privateKey}`;
    });
    const common = `-o UserKnownHostsFile=${state.knownHosts} -o StrictHostKeyChecking=yes`;
    writeFileSync(join(work, 'aliases.ini'), `[all]\n${lines.join('\n')}\n[all:vars]\nansible_ssh_common_args='${common}'\n`);
    writeFileSync(join(work, 'ping.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
    const r = await runTsplay([join(root, 'bin', 'tsplay.js'), 'ping.yml', '-i', 'aliases.ini', '-f', '50'], { cwd: work, env, timeoutMs: 300_000 });
    expect(r.code, r.out.slice(-3000)).toBe(0);
    expect(r.out.match(/^a\d+\s+: ok=1\s+changed=1\s+unreachable=0\s+failed=0/gm)).toHaveLength(200);
    expect(r.out).not.toMatch(/UNREACHABLE|internal error/);
  }, 300_000);
});

describe('lab status', () => {
  // last: it leaves node3 without its launcher (lab down, in afterAll, cleans that up too)
  it('a host whose launcher died but whose container still runs is not reported as merely stopped', async () => {
    const node3 = state.hosts[2]!;
    process.kill(node3.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    const st = await labStatus({ ...lab, log: () => undefined });
    const h = st.hosts.find((x) => x.name === 'node3')!;
    expect(h.running).toBe(false);
    expect(h.leftoverProcesses).toBeGreaterThan(0);
    const out: string[] = [];
    const code = await runLabCommand(['status', '--name', lab.name], (l: string) => out.push(l));
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/node3 .* launcher gone, but \d+ processes still run in its namespace/);
  }, 60_000);
});
