import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// lookup('password') as Kubespray uses it for kubeadm_token / kubeadm_certificate_key, with
// what ansible-core 2.14 does (seen on this machine): the value is stored with a newline in a
// 0600 file, the last folder is created 0700, a second lookup reads the same value back.
const ROOT = join(import.meta.dirname, '..', '..', '..');

function run(dir: string, engine: 'tsplay' | 'ansible'): string {
  const term = (f: string, opts: string): string => `lookup('password', playbook_dir ~ '/creds/sub/${f} ${opts}')`;
  writeFileSync(join(dir, 'pb.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: "{{ ${term('token.creds', 'length=6 chars=ascii_lowercase,digits')} }} {{ ${term('key.creds', 'length=64 chars=digits,abcdef')} }}"\n`);
  const cmd = engine === 'tsplay' ? [process.execPath, join(ROOT, 'bin', 'tsplay.js')] : ['ansible-playbook'];
  const r = spawnSync(cmd[0]!, [...cmd.slice(1), join(dir, 'pb.yml'), '-i', 'localhost,', '-c', 'local'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1' } });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return /"msg": "([^"]*)"/.exec(r.stdout)![1]!;
}

describe("lookup('password')", () => {
  it.each(['tsplay', 'ansible'] as const)('%s: generates once, stores 0600 with a newline, reads it back', (engine) => {
    const dir = mkdtempSync(join(tmpdir(), `tsplay-pw-${engine}-`));
    const first = run(dir, engine);
    const [token, key] = first.split(' ');
    expect(token).toMatch(/^[a-z0-9]{6}$/);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(run(dir, engine)).toBe(first);
    expect(readFileSync(join(dir, 'creds', 'sub', 'token.creds'), 'utf8')).toBe(`${token}\n`);
    const mode = (p: string): string => (statSync(join(dir, p)).mode & 0o777).toString(8);
    expect([mode('creds/sub'), mode('creds/sub/token.creds'), mode('creds/sub/key.creds')]).toEqual(['700', '600', '600']);
    expect(mode('creds')).toBe((0o777 & ~process.umask()).toString(8));
  }, 60_000);
});
