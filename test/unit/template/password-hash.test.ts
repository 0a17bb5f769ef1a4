import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cryptHash, shaCrypt } from '../../../engine/template/filters/password-hash.js';

// The oracle: Python's crypt module (glibc crypt(3)), which ansible-core 2.14 uses without passlib.
function pythonCrypt(cases: readonly [string, string][]): string[] {
  const script = 'import crypt, json, sys\nfor pw, setting in json.load(sys.stdin): print(crypt.crypt(pw, setting))';
  const r = spawnSync('/usr/bin/python3', ['-W', 'ignore', '-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  return r.stdout.trim().split('\n');
}

const PASSWORDS = ['', 'x', 's3cret', 'é漢字 with spaces', 'p'.repeat(33), 'q'.repeat(64), 'long '.repeat(40)];

describe('SHA-crypt ($5$, $6$) like crypt(3)', () => {
  it('matches Python crypt for sha512 and sha256, default and explicit rounds, salts up to 16', () => {
    const table: { pw: string; salt: string; algo: 'sha256' | 'sha512'; rounds?: number }[] = [];
    for (const pw of PASSWORDS) {
      table.push({ pw, salt: 'saltsalt', algo: 'sha512' }, { pw, salt: 'abcdefghijklmnop', algo: 'sha256' }, { pw, salt: 'a./Z', algo: 'sha512', rounds: 1234 });
    }
    const settings = table.map((t) => `$${t.algo === 'sha512' ? 6 : 5}$${t.rounds === undefined ? '' : `rounds=${t.rounds}$`}${t.salt}$`);
    const expected = pythonCrypt(table.map((t, i) => [t.pw, settings[i]!]));
    expect(expected).toHaveLength(table.length);
    expect(table.map((t) => shaCrypt(t.pw, t.salt, t.algo, t.rounds))).toEqual(expected);
  });

  it('a random salt is 16 characters of ./0-9A-Za-z; unknown schemes and bad salts are errors', () => {
    expect(cryptHash('pw', 'sha512_crypt')).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(() => cryptHash('pw', 'bcrypt')).toThrow(/crypt does not support 'bcrypt'/);
    expect(() => cryptHash('pw', 'sha512', 'bad salt!')).toThrow(/invalid characters in salt/);
  });
});
