import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

// Whole-CLI runs against real systemd lab hosts over real SSH: the main job, certificates,
// no_log at -vvvv, and a host whose sshd dies mid-play.
const root = join(__dirname, '..', '..', '..');
const lab = { name: 'tsplaycli', subnet: '10.88.11', hosts: 3, kind: 'systemd' as const, stateDir: join(root, '.tsplay', 'lab', 'tsplaycli') };
let state: LabState;
let work: string;

// Runs from the checkout's root read its ansible.cfg (roles_path) but keep their fact cache in
// this suite's own folder: facts another lab left in .tsplay/facts name the same hosts.
function tsplay(args: string[], cwd = work) {
  const env = { ...isolatedEnv({ NO_COLOR: '1', ANSIBLE_CACHE_PLUGIN_CONNECTION: join(work, 'facts') }), ...(cwd === root ? { ANSIBLE_CONFIG: join(root, 'ansible.cfg') } : {}) };
  const r = spawnSync(process.execPath, [join(root, 'bin', 'tsplay.js'), ...args], { cwd, encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

function recap(out: string): Record<string, Record<string, number>> {
  const rows: Record<string, Record<string, number>> = {};
  for (const m of out.matchAll(/^(\S+)\s+: (.*)$/gm)) {
    rows[m[1]!] = Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1]!, Number(x[2])]));
  }
  return rows;
}

function ssh(command: string): string {
  const r = spawnSync('ssh', ['-i', state.privateKey, '-o', `UserKnownHostsFile=${state.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', 'root@10.88.11.11', command], { encoding: 'utf8', timeout: 30_000 });
  return r.stdout;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-cli-'));
  state = await labUp({ ...lab, log: () => undefined });
}, 300_000);

afterAll(async () => {
  await labDown({ ...lab, log: () => undefined });
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('tsplay on the lab', () => {
  it('the main job converges and a second run changes nothing', () => {
    const first = tsplay([join(root, 'playbooks', 'lab-check.yml'), '-i', state.inventory]);
    expect(first.code).toBe(0);
    expect(Object.keys(recap(first.out)).sort()).toEqual(['node1', 'node2', 'node3']);
    expect(recap(first.out).node1!.changed).toBeGreaterThan(0);
    const second = tsplay([join(root, 'playbooks', 'lab-check.yml'), '-i', state.inventory]);
    expect(second.code).toBe(0);
    for (const row of Object.values(recap(second.out))) expect(row.changed).toBe(0);
  });

  it('kube_pki writes the tree once, check-expiration reads it over SSH, renew extends a leaf', () => {
    writeFileSync(join(work, 'pki.yml'), `
- hosts: kube_control_plane
  gather_facts: false
  tasks:
    - kube_pki:
        node_ip: "{{ ip }}"
        control_planes: [{ name: node1, ip: "{{ ip }}" }]
        control_plane_endpoint: "{{ ip }}:6443"
        store_dir: ${join(work, 'store')}
`);
    expect(recap(tsplay(['pki.yml', '-i', state.inventory]).out).node1!.changed).toBe(1);
    expect(recap(tsplay(['pki.yml', '-i', state.inventory]).out).node1!.changed).toBe(0);
    const check = tsplay(['certs', 'check-expiration', '-i', state.inventory]);
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/^apiserver\s+\w{3} \d+, \d{4} \d\d:\d\d UTC\s+36[45]d\s+ca\s+no/m);
    expect(check.out).toMatch(/^etcd-ca\s+.*\s+9y\s+no/m);
    const renew = tsplay(['certs', 'renew', 'apiserver', '-i', state.inventory]);
    expect(renew.code).toBe(0);
    expect(renew.out).toMatch(/apiserver renewed/);
  });

  it('auto_renew_certificates installs an enabled renewal timer whose calendar is configurable', () => {
    const pb = join(root, 'playbooks', 'control-plane-certs.yml');
    const common = ['-i', state.inventory, '-e', 'auto_renew_certificates=true', '-e', `kube_pki_store_dir=${join(work, 'store2')}`];
    // from the repository root, like Kubespray: its ansible.cfg sets roles_path
    expect(tsplay([pb, ...common], root).code).toBe(0);
    const again = tsplay([pb, ...common], root);
    expect(again.code).toBe(0);
    expect(recap(again.out).node1!.changed).toBe(0);
    const show = () => ssh('systemctl is-enabled k8s-certs-renew.timer; systemctl is-active k8s-certs-renew.timer; systemctl show -p TimersCalendar k8s-certs-renew.timer');
    expect(show()).toMatch(/^enabled\nactive\nTimersCalendar=\{ OnCalendar=Mon \*-\*-01,02,03,04,05,06,07 03:00:00 ;/);
    const weekly = tsplay([pb, ...common, '-e', '{"auto_renew_certificates_systemd_calendar": "Sun *-*-* 04:00:00"}'], root);
    expect(recap(weekly.out).node1!.changed).toBeGreaterThan(0);
    expect(show()).toMatch(/OnCalendar=Sun \*-\*-\* 04:00:00 ;/);
  });

  it('at -vvvv neither no_log values nor the become password show', () => {
    writeFileSync(join(work, 'secret.yml'), `
- hosts: node1
  gather_facts: false
  vars:
    token: s3cr3t-token-value
  tasks:
    - command: echo {{ token }}
      no_log: true
    - debug: msg="after"
`);
    const r = tsplay(['secret.yml', '-i', state.inventory, '-vvvv', '-e', 'ansible_become_password=hunter2-pass']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/censored/);
    expect(r.out).toMatch(/ESTABLISH SSH CONNECTION|<10\.88\.11\.11>/);
    expect(r.out).not.toMatch(/s3cr3t-token-value/);
    expect(r.out).not.toMatch(/hunter2-pass/);
  });

  it('a host whose sshd dies mid-play becomes UNREACHABLE and the others finish', () => {
    writeFileSync(join(work, 'drop.yml'), `
- hosts: all
  gather_facts: false
  tasks:
    - name: node2 loses its ssh server
      shell: systemctl stop ssh.socket ssh.service 2>/dev/null; pkill -KILL -x sshd; true
      when: inventory_hostname == 'node2'
    - name: everyone else carries on
      command: "true"
    - name: and on
      command: "true"
`);
    const r = tsplay(['drop.yml', '-i', state.inventory]);
    expect(r.code).toBe(4);
    expect(r.out).toMatch(/fatal: \[node2\]: UNREACHABLE!/);
    const rows = recap(r.out);
    expect(rows.node2!.unreachable).toBe(1);
    expect(rows.node1!.ok).toBe(2);
    expect(rows.node3!.ok).toBe(2);
    expect(rows.node1!.failed).toBe(0);
  });
});
