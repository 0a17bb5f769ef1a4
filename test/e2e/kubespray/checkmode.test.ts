import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type LabState } from '../../../engine/lab/index.js';
import { rows, runEngine, untilFirstFailure, type Run } from './engines.js';
import { extractKubespray, ROOT, type KubesprayTree } from './kubespray-tree.js';

// Kubespray v2.23.3 on a 4-host lab with real systemd, run by ansible-playbook 2.14 and by
// tsplay: non-native modules through the Python path, facts.yml and the five playbooks in check
// mode, compared task by task (each up to where ansible-playbook itself stops). Prints both
// engines' wall times. Needs `npm run build`; 10-15 minutes (ansible is the slow part).
const lab = { name: 'tsplayks', subnet: '10.88.16', hosts: 4, kind: 'systemd' as const, stateDir: join(ROOT, '.tsplay', 'lab', 'tsplayks') };
const FIXTURE = join(ROOT, 'test', 'fixtures', 'kubespray-compat', 'pymodules', 'playbook.yml');
let state: LabState;
let tree: KubesprayTree;

/**
 * ansible's apt module needs python3-apt on the host even in check mode, and lab hosts have no
 * route to a mirror: the controller's python3-apt files (same Debian release) are copied over.
 */
function copyPythonApt(st: LabState): void {
  const files = execFileSync('dpkg', ['-L', 'python3-apt'], { encoding: 'utf8' }).split('\n').filter((f) => f.includes('/dist-packages/') && !f.endsWith('/dist-packages'));
  const tar = execFileSync('tar', ['-cf', '-', '--no-recursion', ...files], { maxBuffer: 64 << 20 });
  for (const h of st.hosts) {
    const r = spawnSync('ssh', ['-i', st.privateKey, '-o', `UserKnownHostsFile=${st.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `root@${h.ip}`, 'tar -xf - -C / && python3 -c "import apt_pkg"'], { input: tar });
    if (r.status !== 0) throw new Error(`python3-apt on ${h.name}: ${r.stderr.toString()}`);
  }
}

function report(what: string, ans: Run, ts: Run, tasks: number): void {
  console.log(`${what}: ${tasks} tasks x ${state.hosts.length} hosts compared; ansible-playbook ${ans.seconds.toFixed(1)} s, tsplay ${ts.seconds.toFixed(1)} s (${(ans.seconds / ts.seconds).toFixed(1)}x)`);
}

beforeAll(async () => {
  state = await labUp({ ...lab, log: () => undefined });
  const hostVars = `ansible_user=root ansible_ssh_private_key_file=${state.privateKey} ansible_ssh_common_args='-o UserKnownHostsFile=${state.knownHosts} -o StrictHostKeyChecking=yes'`;
  tree = extractKubespray(state.hosts.map((h) => ({ name: h.name, ip: h.ip })), hostVars);
  copyPythonApt(state);
}, 600_000);

afterAll(async () => {
  try {
    await labDown({ ...lab, log: () => undefined });
  } finally {
    if (tree) rmSync(dirname(tree.dir), { recursive: true, force: true });
  }
}, 120_000);

describe('Kubespray v2.23.3 on the lab: tsplay agrees with ansible-playbook', () => {
  it('non-native modules run through the Python path like ansible (library/, collection, ansible-core, kube)', async () => {
    const env = { ANSIBLE_LIBRARY: join(tree.dir, 'library') };
    const [ans, ts] = await Promise.all([
      runEngine('ansible', tree, FIXTURE, ['-e', 'base=/tmp/ks-eng-ans'], env),
      runEngine('tsplay', tree, FIXTURE, ['-e', 'base=/tmp/ks-eng-tsp'], env),
    ]);
    const same = (s: string) => s.replace(/ks-eng-(ans|tsp)/g, 'ks-eng');
    const a = rows(ans.report, true, same);
    expect(a.length, 'ansible ran the fixture').toBe(13);
    expect(rows(ts.report, true, same)).toEqual(a);
    expect(ts.code).toBe(ans.code);
    report('python modules fixture', ans, ts, a.length);
  }, 600_000);

  it('playbooks/facts.yml in check mode: every task and host', async () => {
    const ans = await runEngine('ansible', tree, 'playbooks/facts.yml', ['-C']);
    const ts = await runEngine('tsplay', tree, 'playbooks/facts.yml', ['-C']);
    const a = rows(ans.report);
    expect(a.length, `ansible ran facts.yml:\n${ans.stderr.slice(-2000)}`).toBeGreaterThan(40);
    expect(rows(ts.report)).toEqual(a);
    expect(ts.code).toBe(ans.code);
    report('facts.yml -C', ans, ts, a.length);
  }, 900_000);

  // Issue 15: each playbook agrees on every task and host (statuses, failure and debug
  // messages) up to where ansible-playbook itself stops, stops there too, and recaps the same.
  // On 2026-12-03: cluster.yml 150 tasks (stops at `file state=link` to /etc/kubernetes/ssl,
  // which check mode only pretended to create), scale.yml 373, upgrade-cluster.yml 335,
  // reset.yml 153, remove-node.yml 94. The first difference is reported by task number.
  const PLAYBOOKS: readonly { file: string; args: readonly string[] }[] = [
    { file: 'cluster.yml', args: [] },
    { file: 'scale.yml', args: [] },
    { file: 'upgrade-cluster.yml', args: [] },
    { file: 'reset.yml', args: ['-e', 'reset_confirmation=yes'] },
    { file: 'remove-node.yml', args: ['-e', 'node=node4', '-e', 'skip_confirmation=yes'] },
  ];

  it.each(PLAYBOOKS)('$file in check mode: every task and host agrees up to where ansible-playbook stops', async ({ file, args }) => {
    const ans = await runEngine('ansible', tree, file, ['-C', ...args]);
    const ts = await runEngine('tsplay', tree, file, ['-C', ...args]);
    const all = rows(ans.report, true);
    const a = untilFirstFailure(all);
    expect(a.length, `ansible ran ${file}:\n${ans.stderr.slice(-2000)}`).toBeGreaterThan(50);
    expect(a.length, 'ansible stopped at its first failure').toBe(all.length);
    const t = rows(ts.report, true);
    const diverge = a.findIndex((r, i) => JSON.stringify(t[i]) !== JSON.stringify(r));
    const agreed = diverge < 0 ? a.length : diverge;
    report(`${file} -C (agreed on ${agreed} of the ${a.length} tasks up to ansible's stop: ${a[a.length - 1]!.task})`, ans, ts, agreed);
    expect(agreed, `first difference at task ${agreed + 1} of ${a.length}: tsplay ${JSON.stringify(t[agreed])}, ansible ${JSON.stringify(a[agreed])}`).toBe(a.length);
    expect(t.length, 'tsplay stops at the same task').toBe(a.length);
    expect(ts.report.stats, 'the recap counts').toEqual(ans.report.stats);
    expect(ts.code).toBe(ans.code);
  }, 1_200_000);
});
