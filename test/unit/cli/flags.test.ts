import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TSPLAY_VERSION } from '../../../engine/version.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

// Command-line behaviours of issue 10 (ansible-playbook 2.14.18 side by side for the words).
const root = join(__dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'tsplay-flags-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tsplay(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'tsplay.js'), ...args], {
    cwd: opts.cwd ?? work, encoding: 'utf8', env: opts.env ?? isolatedEnv({ NO_COLOR: '1' }), input: opts.input, timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

writeFileSync(join(work, 'inv'), 'a ansible_connection=local\nb ansible_connection=local\n');
writeFileSync(join(work, 'fail-b.yml'), `- hosts: all
  gather_facts: false
  tasks:
    - fail:
      when: inventory_hostname == 'b'
`);

describe('options', () => {
  it('--version prints the version and exits 0', () => {
    const r = tsplay(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`tsplay ${TSPLAY_VERSION} (runs ansible-core 2.14 playbooks)\n`);
    expect(TSPLAY_VERSION).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('an unknown option is reported once, exit 5', () => {
    const r = tsplay(['fail-b.yml', '--bogus']);
    expect(r.code).toBe(5);
    expect(r.stderr.match(/unknown option '--bogus'/g)).toHaveLength(1);
  });

  it('--step is refused with a hint rather than ignored', () => {
    const r = tsplay(['fail-b.yml', '-i', 'inv', '--step']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/--step is not supported/);
    expect(r.stderr).toMatch(/--start-at-task/);
  });

  it('-T must be a number of seconds', () => {
    expect(tsplay(['fail-b.yml', '-i', 'inv', '-T', 'soon']).code).toBe(5);
  });

  it('-c local runs hosts that set no connection on the controller', () => {
    writeFileSync(join(work, 'plain-inv'), 'h1\n');
    writeFileSync(join(work, 'whoami.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
    const r = tsplay(['whoami.yml', '-i', 'plain-inv', '-c', 'local', '-T', '3']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/h1\s+: ok=1\s+changed=1/);
  });

  it('-K reads the become password without echo (from stdin when it is not a terminal)', () => {
    const r = tsplay(['whoami.yml', '-i', 'plain-inv', '-c', 'local', '-K'], { input: 'not-needed\n' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain('BECOME password: ');
    expect(r.stdout + r.stderr).not.toContain('not-needed');
  });
});

describe('ansible.cfg in a world-writable directory', () => {
  it('is ignored with ansible\'s warning (a planted file must not turn host key checking off)', () => {
    const ww = join(work, 'ww');
    mkdirSync(ww);
    chmodSync(ww, 0o777);
    writeFileSync(join(ww, 'ansible.cfg'), '[defaults]\nretry_files_enabled = True\n');
    writeFileSync(join(ww, 'fail-b.yml'), readFileSync(join(work, 'fail-b.yml')));
    const env = isolatedEnv({ NO_COLOR: '1' });
    delete env.ANSIBLE_CONFIG;
    const r = tsplay(['fail-b.yml', '-i', join(work, 'inv')], { cwd: ww, env: { ...env, HOME: work } });
    expect(r.stderr).toContain(`[WARNING]: Ansible is being run in a world writable directory (${ww}), ignoring it as an ansible.cfg source.`);
    expect(existsSync(join(ww, 'fail-b.retry'))).toBe(false); // the planted setting had no effect
    chmodSync(ww, 0o755);
    const trusted = tsplay(['fail-b.yml', '-i', join(work, 'inv')], { cwd: ww, env: { ...env, HOME: work } });
    expect(trusted.stderr).not.toContain('world writable');
    expect(existsSync(join(ww, 'fail-b.retry'))).toBe(true);
  });
});

describe('retry files', () => {
  it('retry_files_enabled writes PLAYBOOK.retry with the failed hosts and says so before the recap', () => {
    const r = tsplay(['fail-b.yml', '-i', 'inv'], { env: isolatedEnv({ NO_COLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '1' }) });
    expect(r.code).toBe(2);
    expect(readFileSync(join(work, 'fail-b.retry'), 'utf8')).toBe('b\n');
    expect(r.stdout).toContain(`\tto retry, use: --limit @${join(work, 'fail-b.retry')}\n\nPLAY RECAP`);
  });

  it('retry_files_save_path puts it elsewhere; disabled (the default) writes none', () => {
    rmSync(join(work, 'fail-b.retry'), { force: true });
    const saveDir = join(work, 'retries');
    tsplay(['fail-b.yml', '-i', 'inv'], { env: isolatedEnv({ NO_COLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'yes', ANSIBLE_RETRY_FILES_SAVE_PATH: saveDir }) });
    expect(readFileSync(join(saveDir, 'fail-b.retry'), 'utf8')).toBe('b\n');
    tsplay(['fail-b.yml', '-i', 'inv']);
    expect(existsSync(join(work, 'fail-b.retry'))).toBe(false);
  });
});

describe('--flush-cache', () => {
  it('drops the cached facts of the inventory hosts before the run', () => {
    const cache = join(work, 'facts');
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'a'), JSON.stringify({ ansible_stale: 'yes' }));
    writeFileSync(join(work, 'show.yml'), '- hosts: a\n  gather_facts: false\n  tasks:\n    - debug: { msg: "{{ ansible_stale | default(\'gone\') }}" }\n');
    const env = isolatedEnv({ NO_COLOR: '1', ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: cache });
    expect(tsplay(['show.yml', '-i', 'inv'], { env }).stdout).toContain('"msg": "yes"');
    const r = tsplay(['show.yml', '-i', 'inv', '--flush-cache'], { env });
    expect(r.stdout).toContain('"msg": "gone"');
    expect(existsSync(join(cache, 'a'))).toBe(false);
    expect(statSync(cache).isDirectory()).toBe(true);
  });
});
