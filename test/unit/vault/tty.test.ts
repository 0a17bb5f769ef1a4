import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_ANSIBLE_CFG } from '../../fixtures/oracle/env.js';
import { ansibleVault, ROOT, tsplay, workdir } from './cli-helpers.js';

/** Runs tsplay on a pseudo-terminal, answering each expected prompt in turn. */
function onTty(cwd: string, args: string[], steps: [string, string][]): { code: number; out: string; error?: string } {
  const spec = { argv: [process.execPath, join(ROOT, 'bin', 'tsplay.js'), ...args], cwd, env: { ANSIBLE_CONFIG: EMPTY_ANSIBLE_CFG, NO_COLOR: '1' }, steps };
  const r = spawnSync('python3', [join(__dirname, 'pty_drive.py'), JSON.stringify(spec)], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(r.stdout) as { code: number; out: string; error?: string };
}

const INVENTORY = 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n';

const PROMPTS = `
- hosts: h1
  gather_facts: false
  vars_prompt:
    - name: user_name
      prompt: Your name
      private: false
    - name: secret_word
      prompt: Secret word
      confirm: true
    - name: region
      prompt: Region
      default: eu-west
  tasks:
    - pause:
        prompt: Type yes to go on
      register: go
    - copy:
        content: "{{ user_name }}|{{ secret_word }}|{{ region }}|{{ go.user_input }}\\n"
        dest: "{{ out }}"
`;

describe('prompts on a terminal', () => {
  it('vars_prompt (visible, private with confirm after a mismatch, default on Enter) and pause', () => {
    const dir = workdir({ inventory: INVENTORY, 'p.yml': PROMPTS });
    const r = onTty(dir, ['-i', 'inventory', 'p.yml', '-e', `out=${join(dir, 'answers')}`], [
      ['Your name: ', 'alice'],
      ['Secret word: ', 'hunter2'],
      ['confirm Secret word: ', 'hunter3'],
      ['Secret word: ', 'hunter2'],
      ['confirm Secret word: ', 'hunter2'],
      ['Region [eu-west]: ', ''],
      ['Type yes to go on:', 'yes'],
    ]);
    expect(r.error, r.out).toBeUndefined();
    expect(r.code, r.out).toBe(0);
    expect(readFileSync(join(dir, 'answers'), 'utf8')).toBe('alice|hunter2|eu-west|yes\n');
    expect(r.out).toContain('alice'); // private: false echoes
    expect(r.out).not.toContain('hunter'); // private input is not echoed
    expect(r.out).toContain('VALUES ENTERED DO NOT MATCH');
  });

  it('--ask-vault-pass reads the vault password on the terminal, without echo', () => {
    const dir = workdir({ inventory: INVENTORY, pw: 'tty-vault-pw\n', 'v.yml': 'token: tty-t0ken\n', 'p.yml': '- hosts: h1\n  gather_facts: false\n  vars_files: [v.yml]\n  tasks:\n    - assert: { that: token == "tty-t0ken" }\n' });
    expect(ansibleVault(dir, ['encrypt', '--vault-password-file', 'pw', 'v.yml']).code).toBe(0);
    const r = onTty(dir, ['-i', 'inventory', 'p.yml', '--ask-vault-pass'], [['Vault password: ', 'tty-vault-pw']]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/ok=1 /);
    expect(r.out).not.toContain('tty-vault-pw');
  });
});

describe('prompts without a terminal', () => {
  it('a vars_prompt nothing answers stops the run before any play touches a host', () => {
    const dir = workdir({
      inventory: INVENTORY,
      'p.yml': `- hosts: h1\n  gather_facts: false\n  tasks:\n    - copy: { content: "ran\\n", dest: "{{ out }}" }\n- hosts: h1\n  gather_facts: false\n  vars_prompt:\n    - name: node\n      prompt: Node to remove\n  tasks:\n    - debug: var=node\n`,
    });
    const r = tsplay(dir, ['-i', 'inventory', 'p.yml', '-e', `out=${join(dir, 'ran')}`], {}, '');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERROR! vars_prompt 'node' \("Node to remove"\) needs an answer, but stdin is not a terminal/);
    expect(r.stderr).toMatch(/p\.yml:5:3/);
    expect(r.stderr).toMatch(/Hint: pass it with -e node=VALUE/);
    expect(r.stdout).toBe('');
    expect(() => readFileSync(join(dir, 'ran'))).toThrow();
  });

  it('an encrypt: scheme tsplay cannot hash is refused clearly, before anything runs', () => {
    const dir = workdir({ inventory: INVENTORY, 'p.yml': '- hosts: h1\n  gather_facts: false\n  vars_prompt:\n    - name: pw\n      default: x\n      encrypt: bcrypt\n  tasks: []\n' });
    const r = tsplay(dir, ['-i', 'inventory', 'p.yml'], {}, '');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/vars_prompt 'pw': encrypt: bcrypt is not supported \(tsplay hashes sha512_crypt and sha256_crypt\)/);
  });
});
