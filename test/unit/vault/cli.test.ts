import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleVault, tsplay, workdir } from './cli-helpers.js';

const PLAIN = 'db_password: "c0rrect-horse"\nnested:\n  key: value\n';
const modeOf = (f: string) => (statSync(f).mode & 0o777).toString(8);
const dedent = (yaml: string) => yaml.split('\n').slice(1).map((l) => l.trim()).join('\n') + '\n';

describe('tsplay vault and ansible-vault read each other\'s files', () => {
  it('tsplay vault encrypt → ansible-vault view (default id, 1.1), file 0600', () => {
    const dir = workdir({ 'pw': 'pw-one\n', 's.yml': PLAIN });
    expect(tsplay(dir, ['vault', 'encrypt', '--vault-password-file', 'pw', 's.yml']).code).toBe(0);
    expect(readFileSync(join(dir, 's.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n([0-9a-f]{80}\n)+[0-9a-f]{1,80}\n$/);
    expect(modeOf(join(dir, 's.yml'))).toBe('600');
    const v = ansibleVault(dir, ['view', '--vault-password-file', 'pw', 's.yml']);
    expect(v.stdout).toBe(PLAIN);
  });

  it('ansible-vault encrypt --vault-id → tsplay vault view and decrypt (1.2 with a label)', () => {
    const dir = workdir({ 'pw': 'pw-two\n', 's.yml': PLAIN });
    expect(ansibleVault(dir, ['encrypt', '--vault-id', 'prod@pw', 's.yml']).code).toBe(0);
    expect(readFileSync(join(dir, 's.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    expect(tsplay(dir, ['vault', 'view', '--vault-id', 'prod@pw', 's.yml']).stdout).toBe(PLAIN);
    expect(tsplay(dir, ['vault', 'decrypt', '--vault-id', 'prod@pw', 's.yml']).code).toBe(0);
    expect(readFileSync(join(dir, 's.yml'), 'utf8')).toBe(PLAIN);
  });

  it('tsplay vault encrypt --vault-id LABEL@FILE writes a 1.2 header ansible-vault opens', () => {
    const dir = workdir({ 'pw': 'pw-three\n', 's.yml': PLAIN });
    tsplay(dir, ['vault', 'encrypt', '--vault-id', 'stage@pw', 's.yml']);
    expect(readFileSync(join(dir, 's.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;stage');
    expect(ansibleVault(dir, ['view', '--vault-id', 'stage@pw', 's.yml']).stdout).toBe(PLAIN);
  });

  it('encrypt_string: same YAML shape as ansible-vault, and each decrypts the other\'s', () => {
    const dir = workdir({ 'pw': 'pw-four\n' });
    const ours = tsplay(dir, ['vault', 'encrypt_string', '--vault-password-file', 'pw', 'tok-3n', '--name', 'api_token']);
    const theirs = ansibleVault(dir, ['encrypt_string', '--vault-password-file', 'pw', 'tok-3n', '--name', 'api_token']);
    const shape = /^api_token: !vault \|\n( {10}\$ANSIBLE_VAULT;1\.1;AES256\n)( {10}[0-9a-f]{80}\n)+ {10}[0-9a-f]{1,80}$/;
    expect(ours.stdout).toMatch(shape);
    expect(theirs.stdout).toMatch(shape);
    expect(ours.stdout.length).toBe(theirs.stdout.length);
    expect(ansibleVault(dir, ['decrypt', '--vault-password-file', 'pw', '--output', '-'], dedent(ours.stdout)).stdout).toBe('tok-3n');
    expect(tsplay(dir, ['vault', 'decrypt', '--vault-password-file', 'pw', '--output', '-'], {}, dedent(theirs.stdout)).stdout).toBe('tok-3n');
  });

  it('rekey: the new password opens it in ansible-vault, the old one no longer does, the mode is kept', () => {
    const dir = workdir({ 'old': 'old-pw\n', 'new': 'new-pw\n', 's.yml': PLAIN });
    ansibleVault(dir, ['encrypt', '--vault-password-file', 'old', 's.yml']);
    chmodSync(join(dir, 's.yml'), 0o640);
    const r = tsplay(dir, ['vault', 'rekey', '--vault-password-file', 'old', '--new-vault-password-file', 'new', 's.yml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Rekey successful');
    expect(modeOf(join(dir, 's.yml'))).toBe('640');
    expect(ansibleVault(dir, ['view', '--vault-password-file', 'new', 's.yml']).stdout).toBe(PLAIN);
    expect(ansibleVault(dir, ['view', '--vault-password-file', 'old', 's.yml']).code).not.toBe(0);
  });

  it('edit: $EDITOR gets a 0600 temp file that is gone afterwards; the result ansible-vault opens', () => {
    const dir = workdir({ 'pw': 'pw-five\n', 's.yml': PLAIN, 'ed.sh': '#!/bin/sh\nstat -c "%a %n" "$1" > "$(dirname "$0")/seen"\necho "added: line" >> "$1"\n' });
    chmodSync(join(dir, 'ed.sh'), 0o755);
    ansibleVault(dir, ['encrypt', '--vault-id', 'ops@pw', 's.yml']);
    const r = tsplay(dir, ['vault', 'edit', '--vault-id', 'ops@pw', 's.yml'], { EDITOR: join(dir, 'ed.sh') });
    expect(r.code, r.stderr).toBe(0);
    const [mode, tmp] = readFileSync(join(dir, 'seen'), 'utf8').trim().split(' ');
    expect(mode).toBe('600');
    expect(existsSync(tmp!)).toBe(false);
    expect(readFileSync(join(dir, 's.yml'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;ops');
    expect(ansibleVault(dir, ['view', '--vault-id', 'ops@pw', 's.yml']).stdout).toBe(`${PLAIN}added: line\n`);
  });

  it('edit without a change leaves the file byte for byte', () => {
    const dir = workdir({ 'pw': 'pw-six\n', 's.yml': PLAIN });
    ansibleVault(dir, ['encrypt', '--vault-password-file', 'pw', 's.yml']);
    const before = readFileSync(join(dir, 's.yml'));
    expect(tsplay(dir, ['vault', 'edit', '--vault-password-file', 'pw', 's.yml'], { EDITOR: 'true' }).code).toBe(0);
    expect(readFileSync(join(dir, 's.yml')).equals(before)).toBe(true);
  });

  it('a wrong password: one error naming the file and the vault id, no stack, file untouched', () => {
    const dir = workdir({ 'pw': 'right\n', 'bad': 'wrong\n', 's.yml': PLAIN });
    ansibleVault(dir, ['encrypt', '--vault-id', 'prod@pw', 's.yml']);
    const before = readFileSync(join(dir, 's.yml'));
    const r = tsplay(dir, ['vault', 'decrypt', '--vault-id', 'prod@bad', 's.yml']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ERROR! Decryption failed on s\.yml: .*vault id 'prod'/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 's.yml')).equals(before)).toBe(true);
  });

  it('a -client password script gets --vault-id LABEL, a plain script nothing', () => {
    const dir = workdir({
      'pw-client.sh': '#!/bin/sh\n[ "$1" = "--vault-id" ] && [ "$2" = "prod" ] && echo client-pw && exit 0\nexit 2\n',
      'plain.sh': '#!/bin/sh\n[ $# -eq 0 ] && echo script-pw\n',
      'pwfile': 'client-pw\n', 'pwfile2': 'script-pw\n', 'a.yml': PLAIN, 'b.yml': PLAIN,
    });
    chmodSync(join(dir, 'pw-client.sh'), 0o755);
    chmodSync(join(dir, 'plain.sh'), 0o755);
    ansibleVault(dir, ['encrypt', '--vault-id', 'prod@pwfile', 'a.yml']);
    ansibleVault(dir, ['encrypt', '--vault-password-file', 'pwfile2', 'b.yml']);
    expect(tsplay(dir, ['vault', 'view', '--vault-id', 'prod@pw-client.sh', 'a.yml']).stdout).toBe(PLAIN);
    expect(tsplay(dir, ['vault', 'view', '--vault-password-file', 'plain.sh', 'b.yml']).stdout).toBe(PLAIN);
  });

  it('ANSIBLE_VAULT_PASSWORD_FILE and vault_password_file in ansible.cfg are used', () => {
    const dir = workdir({ 'pw': 'cfg-pw\n', 's.yml': PLAIN, 'my.cfg': '[defaults]\nvault_password_file = pw\n' });
    ansibleVault(dir, ['encrypt', '--vault-password-file', 'pw', 's.yml']);
    expect(tsplay(dir, ['vault', 'view', 's.yml'], { ANSIBLE_VAULT_PASSWORD_FILE: join(dir, 'pw') }).stdout).toBe(PLAIN);
    expect(tsplay(dir, ['vault', 'view', 's.yml'], { ANSIBLE_CONFIG: join(dir, 'my.cfg') }).stdout).toBe(PLAIN);
  });

  it('without any password and no terminal: a clear error, not a hang', () => {
    const dir = workdir({ 's.yml': PLAIN });
    const r = tsplay(dir, ['vault', 'encrypt', 's.yml'], {}, '');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs a terminal/);
    expect(readFileSync(join(dir, 's.yml'), 'utf8')).toBe(PLAIN);
  });
});

describe('ansible-vault writes what the oracle expects of it', () => {
  it('the oracle is installed (a missing ansible-vault fails, never skips)', () => {
    const dir = workdir({});
    expect(ansibleVault(dir, ['--version']).stdout).toMatch(/ansible-vault \[core 2\.14/);
  });
});
