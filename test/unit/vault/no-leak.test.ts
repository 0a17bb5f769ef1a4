import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleVault, tsplay, workdir } from './cli-helpers.js';

// Decrypted vault values are secrets: at -vvvv, in json and text output, with --diff, in error
// messages and in the fact cache, only *** may show. (ansible itself prints them in debug output.)
const INLINE = 'inl1ne-Secret-Value';
const FROM_FILE = 'f1le-Secret-Value';
const MULTI = 'multi-line secret\nsecond-line-of-it';

const PLAYBOOK = (inline: string) => `
- hosts: h1
  gather_facts: false
  vars:
    inline_secret: ${inline}
  tasks:
    - debug: var=inline_secret
    - debug: msg="token is {{ file_secret }} and {{ inline_secret }}"
    - debug: var=multi_secret
    - command: echo {{ file_secret }}
      register: echoed
    - debug: var=echoed
    - copy:
        content: "{{ inline_secret }}\\n{{ multi_secret }}\\n"
        dest: "{{ out_dir }}/written"
    - set_fact:
        cached_secret: "{{ file_secret }}"
        cacheable: true
    - shell: "echo {{ inline_secret }} >&2; exit 3"
      ignore_errors: true
    - fail:
        msg: "failing with {{ inline_secret }}"
      ignore_errors: true
    - debug: msg="{{ inline_secret + 1 }}"
`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function setup(): { dir: string; args: string[] } {
  const dir = workdir({ 'pw': 'leak-test-pw\n', 'inventory': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n', 'ansible.cfg': '[defaults]\nfact_caching = jsonfile\nfact_caching_connection = facts\n' });
  const plain = `file_secret: ${FROM_FILE}\nmulti_secret: |\n  ${MULTI.split('\n').join('\n  ')}\n`;
  mkdirSync(join(dir, 'group_vars'));
  writeFileSync(join(dir, 'group_vars', 'all.yml'), plain);
  expect(ansibleVault(dir, ['encrypt', '--vault-password-file', 'pw', 'group_vars/all.yml']).code).toBe(0);
  const inline = ansibleVault(dir, ['encrypt_string', '--vault-password-file', 'pw', INLINE]).stdout.split('\n').join('\n    ');
  writeFileSync(join(dir, 'playbook.yml'), PLAYBOOK(inline));
  return { dir, args: ['-i', 'inventory', 'playbook.yml', '--vault-password-file', 'pw', '-e', `out_dir=${dir}`, '-vvvv'] };
}

function expectNoSecret(text: string, where: string): void {
  for (const s of [INLINE, FROM_FILE, ...MULTI.split('\n')]) expect(text.includes(s), `${where} shows "${s}"`).toBe(false);
}

describe('no decrypted vault value in any output', () => {
  it.each([['json', ['--output', 'json']], ['text --diff', ['--diff']]])('-vvvv %s: stdout, stderr and the fact cache show only ***', (_name, extra) => {
    const { dir, args } = setup();
    const r = tsplay(dir, [...args, ...extra], { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') });
    expect(r.stdout.length).toBeGreaterThan(1000); // the run happened, verbosely
    expect(r.stdout).toContain('***');
    expect(r.code).toBe(2); // the last task fails (a template error on the secret)
    expectNoSecret(r.stdout, 'stdout');
    expectNoSecret(r.stderr, 'stderr');
    const cache = join(dir, 'facts', 'h1');
    expect(readFileSync(cache, 'utf8')).toContain('cached_secret');
    for (const f of filesUnder(dir).filter((f) => !f.endsWith('/written'))) expectNoSecret(readFileSync(f, 'utf8'), f);
    // the value itself reached the host intact: only outputs are masked
    expect(readFileSync(join(dir, 'written'), 'utf8')).toBe(`${INLINE}\n${MULTI}\n`);
  });

  it('a fatal error that quotes a decrypted value (a vars_files path) shows *** on stderr', () => {
    const { dir, args } = setup();
    writeFileSync(join(dir, 'fatal.yml'), '- hosts: h1\n  gather_facts: false\n  vars_files: ["{{ file_secret }}.yml"]\n  tasks: []\n');
    const r = tsplay(dir, [...args.map((a) => (a === 'playbook.yml' ? 'fatal.yml' : a)), '--output', 'json'], { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ERROR! vars file \*\*\*\.yml was not found/);
    expectNoSecret(r.stderr, 'stderr');
    expectNoSecret(r.stdout, 'stdout');
  });
});
