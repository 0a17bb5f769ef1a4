import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../../../engine/lab/index.js';
import type { LabState } from '../../../engine/lab/index.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

// The operator's comforts on real systemd lab hosts over real SSH: `tsplay plan`, the event
// stream and its schema, --profile, the live progress line on a real pseudo-terminal (tmux), and
// the retry file with `--limit @file`.
const root = join(__dirname, '..', '..', '..');
const lab = { name: 'tsplayop', subnet: '10.88.18', hosts: 2, kind: 'systemd' as const, stateDir: join(root, '.tsplay', 'lab', 'tsplayop') };
const SECRET = 'op-secret-7f3a9c';
let state: LabState;
let work: string;

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  vars:
    motd_owner: platform team
  tasks:
    - name: Config folder
      file: { path: /etc/opdemo, state: directory, mode: "0755" }
    - name: Message of the day
      template: { src: motd.j2, dest: /etc/opdemo/motd, mode: "0644" }
    - name: Node settings
      copy: { content: "node={{ inventory_hostname }}\\n", dest: /etc/opdemo/node.conf, mode: "0644" }
    - name: A secret goes to the host
      copy: { content: "${SECRET}\\n", dest: /etc/opdemo/token, mode: "0600" }
      no_log: true
    - name: Some work that takes a moment
      command: sleep 0.6
      changed_when: false
    - name: A failure the play ignores
      command: /bin/false
      ignore_errors: true
      changed_when: false
`;

function tsplay(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'tsplay.js'), ...args], {
    cwd: work, encoding: 'utf8', env: isolatedEnv({ NO_COLOR: '1', ...env }), timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tsplay-op-'));
  writeFileSync(join(work, 'site.yml'), PLAYBOOK);
  writeFileSync(join(work, 'motd.j2'), 'Welcome to {{ inventory_hostname }}\nManaged by {{ motd_owner }}\n');
  state = await labUp({ ...lab, log: () => undefined });
  const first = tsplay(['site.yml', '-i', state.inventory]);
  expect(first.code).toBe(0);
}, 300_000);

afterAll(async () => {
  await labDown({ ...lab, log: () => undefined });
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('tsplay plan', () => {
  it('reports no change on a converged lab and exits 0', () => {
    const r = tsplay(['plan', 'site.yml', '-i', state.inventory]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^node1: no change$/m);
    expect(r.out).toMatch(/^node2: no change$/m);
    expect(r.out).toContain('Summary: 0 of 2 hosts would change (0 tasks).');
  });

  it('after a template variable changes, lists exactly the affected file on the affected host, with its diff', () => {
    const r = tsplay(['plan', 'site.yml', '-i', state.inventory, '-l', 'node2', '-e', '{"motd_owner": "storage team"}']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('node2: 1 task would change');
    expect(r.out).toContain('~ Message of the day  (site.yml:');
    expect(r.out).toContain('--- before: /etc/opdemo/motd');
    expect(r.out).toContain('-Managed by platform team');
    expect(r.out).toContain('+Managed by storage team');
    expect(r.out).not.toContain('node1');
    expect(r.out).toContain('Summary: 1 of 1 host would change (1 task).');
    // nothing changed on the host: the same plan still shows the change
    expect(tsplay(['plan', 'site.yml', '-i', state.inventory, '-l', 'node2', '-e', '{"motd_owner": "storage team"}']).code).toBe(2);
  });

  it('masks a no_log task: it would change, its diff and content stay hidden', () => {
    const changed = spawnSync('ssh', ['-i', state.privateKey, '-o', `UserKnownHostsFile=${state.knownHosts}`, 'root@10.88.18.11', 'echo other > /etc/opdemo/token'], { encoding: 'utf8' });
    expect(changed.status).toBe(0);
    const masked = tsplay(['plan', 'site.yml', '-i', state.inventory, '-l', 'node1']);
    expect(masked.code).toBe(2);
    expect(masked.out).toContain('~ A secret goes to the host');
    expect(masked.out).toContain('(diff hidden: no_log)');
    expect(masked.out).not.toContain(SECRET);
    expect(tsplay(['site.yml', '-i', state.inventory, '-l', 'node1']).code).toBe(0);
  });
});

describe('event stream and profile', () => {
  it('--events writes one JSON object per line that validates against the published schema, secrets censored', () => {
    const file = join(work, 'events.jsonl');
    const r = tsplay(['site.yml', '-i', state.inventory, '--events', file]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(readFileSync(join(root, 'engine', 'report', 'events.schema.json'), 'utf8'));
    const ajv = new Ajv({ strict: true, allErrors: true });
    const validate = ajv.compile(schema);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET);
    const events = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const e of events) expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
    expect(events[0]!.event).toBe('playbook_start');
    expect(events[events.length - 1]!.event).toBe('playbook_end');
    const results = events.filter((e) => e.event === 'host_result');
    expect(results).toHaveLength(6 * 2);
    const ignored = results.filter((e) => (e.task as { name: string }).name === 'A failure the play ignores');
    expect(ignored.map((e) => [e.host, e.status, e.ignored])).toEqual(expect.arrayContaining([['node1', 'failed', true], ['node2', 'failed', true]]));
    const slow = results.find((e) => (e.task as { name: string }).name === 'Some work that takes a moment')!;
    expect(slow.duration_ms).toBeGreaterThanOrEqual(600);
    const recap = events.find((e) => e.event === 'recap')!.stats as Record<string, Record<string, number>>;
    expect(recap.node1).toMatchObject({ ok: 6, changed: 0, failures: 0, ignored: 1 });
    // a line that breaks the schema is refused (the check can fail)
    expect(validate({ event: 'host_result', time: 'now', host: 'x' })).toBe(false);
  });

  it('--profile prints the slowest tasks first, role totals and the remote work of each host', () => {
    const r = tsplay(['site.yml', '-i', state.inventory, '--profile']);
    expect(r.code).toBe(0);
    const section = r.out.slice(r.out.indexOf('SLOWEST TASKS'));
    // rows sorted slowest first (the first task also pays for opening the connections, so the
    // order of the top rows depends on the machine; the sleep's own time does not)
    const rows = [...section.split('ROLES')[0]!.matchAll(/^(.+?) -+ (\d+\.\d\d)s$/gm)].map((m) => [m[1]!, Number(m[2])] as const);
    expect(rows.length).toBe(6);
    expect(rows.map((r) => r[1])).toEqual([...rows.map((r) => r[1])].sort((a, b) => b - a));
    expect(rows.find((r) => r[0] === 'Some work that takes a moment')![1]).toBeGreaterThanOrEqual(0.6);
    expect(section).toMatch(/^\(play tasks\) -+ \d+\.\d\ds$/m);
    const hosts = [...section.matchAll(/^(node\d)\s+(\d+)\s+(\d+)\s/gm)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(hosts.map((x) => x[0])).toEqual(['node1', 'node2']);
    for (const [, commands] of hosts) expect(commands).toBeGreaterThanOrEqual(6);
  });
});

describe('live progress', () => {
  const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });

  it('on a terminal a status line updates while tasks run and is gone at the end; piped output has no control sequences', async () => {
    const session = `tsplayop${process.pid}`;
    const cmd = `cd ${work} && env -u CI ANSIBLE_CONFIG=${isolatedEnv().ANSIBLE_CONFIG} ${process.execPath} ${join(root, 'bin', 'tsplay.js')} site.yml -i ${state.inventory}; echo EXIT=$?; sleep 60`;
    expect(tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '50', cmd).status).toBe(0);
    try {
      const seen = new Set<string>();
      let screen = '';
      for (let i = 0; i < 200 && !screen.includes('EXIT='); i++) {
        await new Promise((r) => setTimeout(r, 50));
        screen = tmux('capture-pane', '-p', '-t', session).stdout;
        for (const line of screen.split('\n')) if (line.startsWith('[')) seen.add(line.trim());
      }
      expect(screen).toContain('EXIT=0');
      // the status line showed several different states (task i of n, hosts done) while running
      expect(seen.size).toBeGreaterThanOrEqual(2);
      expect([...seen].some((l) => /task \d+ of 6: Some work that takes a moment \| hosts [0-2]\/2/.test(l))).toBe(true);
      // and it was cleared: the recap is the last thing before the shell's echo
      const lines = screen.split('\n').filter((l) => l.trim() !== '');
      expect(lines[lines.length - 1]).toBe('EXIT=0');
      expect(lines[lines.length - 2]).toMatch(/^node2\s+: ok=6/);
      expect(lines.some((l) => l.startsWith('[all] task'))).toBe(false);
    } finally {
      tmux('kill-session', '-t', session);
    }
    const piped = tsplay(['site.yml', '-i', state.inventory]);
    expect(piped.code).toBe(0);
    expect(piped.out).not.toMatch(/\x1b/);
  });
});

describe('retry file', () => {
  // node1 fails, node2 is fine, ghost is unreachable (node2's address, a port nothing listens on)
  const RETRY_PLAYBOOK = `
- hosts: all
  gather_facts: false
  tasks:
    - name: Reach the host
      command: "true"
      changed_when: false
    - name: node1 fails
      fail: { msg: "node1 is broken" }
      when: inventory_hostname == 'node1'
- hosts: all
  gather_facts: false
  tasks:
    - name: A later play
      command: "true"
      changed_when: false
`;
  const recapHosts = (out: string) => [...out.split('PLAY RECAP')[1]!.matchAll(/^(\S+)\s+: ok=/gm)].map((m) => m[1]);

  beforeAll(() => {
    const node2 = state.hosts.find((h) => h.name === 'node2')!;
    const inv = readFileSync(state.inventory, 'utf8').replace('[all]\n', `[all]\nghost ansible_host=${node2.ip} ansible_port=1 ansible_user=root\n`);
    writeFileSync(join(work, 'retry.ini'), inv);
    writeFileSync(join(work, 'retry.yml'), RETRY_PLAYBOOK);
  });

  it('lists exactly the failed and unreachable hosts (retry_files_save_path), and --limit @file re-runs only them', () => {
    const saveDir = join(work, 'retries');
    const env = { ANSIBLE_RETRY_FILES_ENABLED: '1', ANSIBLE_RETRY_FILES_SAVE_PATH: saveDir };
    const first = tsplay(['retry.yml', '-i', 'retry.ini', '-T', '5'], env);
    expect(first.code, first.err).toBe(4); // like ansible: unreachable beats failed
    expect(recapHosts(first.out)).toEqual(['ghost', 'node1', 'node2']);
    const file = join(saveDir, 'retry.retry');
    expect(readFileSync(file, 'utf8')).toBe('ghost\nnode1\n');
    expect(first.out).toContain(`\tto retry, use: --limit @${file}\n`);

    const again = tsplay(['retry.yml', '-i', 'retry.ini', '-T', '5', '--limit', `@${file}`], env);
    expect(again.code, again.err).toBe(4);
    expect(recapHosts(again.out)).toEqual(['ghost', 'node1']);
    expect(again.out).not.toMatch(/\[node2\]/);
    expect(again.out).toMatch(/^fatal: \[node1\]: FAILED!.*node1 is broken/m);
    expect(again.out).toMatch(/^fatal: \[ghost\]: UNREACHABLE!/m);
    expect(readFileSync(file, 'utf8')).toBe('ghost\nnode1\n');
  });

  it('is written next to the playbook without a save path, and not at all unless enabled (ansible 2.14 default)', () => {
    const beside = join(work, 'retry.retry');
    const off = tsplay(['retry.yml', '-i', 'retry.ini', '-T', '5']);
    expect(off.code).toBe(4);
    expect(existsSync(beside)).toBe(false);
    expect(off.out).not.toContain('to retry, use');
    const on = tsplay(['retry.yml', '-i', 'retry.ini', '-T', '5'], { ANSIBLE_RETRY_FILES_ENABLED: 'true' });
    expect(on.code).toBe(4);
    expect(readFileSync(beside, 'utf8')).toBe('ghost\nnode1\n');
  });
});
