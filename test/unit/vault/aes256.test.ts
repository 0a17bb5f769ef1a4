import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptPayload, encryptPayload } from '../../../engine/vault/aes256.js';
import { formatEnvelope, parseEnvelope } from '../../../engine/vault/envelope.js';
import { ansibleVault, workdir } from './cli-helpers.js';

const PLAIN = 'registry_password: "s3cr3t"\nport: 5000\n';

describe('AES256 vault payload', () => {
  it('round-trips any bytes, including an exact multiple of the block size and an empty input', () => {
    for (const text of ['', 'x', '0123456789abcdef', PLAIN, 'é漢字\n'.repeat(50)]) {
      const payload = encryptPayload(Buffer.from(text), Buffer.from('pw'));
      const out = decryptPayload(payload, Buffer.from('pw'));
      expect(out.kind === 'ok' && out.plaintext.toString()).toBe(text);
    }
  });

  it('a wrong password is a mismatch, a damaged payload a format error', () => {
    const payload = encryptPayload(Buffer.from(PLAIN), Buffer.from('pw'));
    expect(decryptPayload(payload, Buffer.from('other')).kind).toBe('mismatch');
    expect(decryptPayload('zz', Buffer.from('pw')).kind).toBe('format');
  });

  it('re-encrypting with the salt ansible-vault chose gives its file byte for byte (1.1 and 1.2)', () => {
    const dir = workdir({ 'pw.txt': 'oracle-pw\n', 'a.yml': PLAIN, 'b.yml': PLAIN });
    expect(ansibleVault(dir, ['encrypt', '--vault-password-file', 'pw.txt', 'a.yml']).code).toBe(0);
    expect(ansibleVault(dir, ['encrypt', '--vault-id', 'prod@pw.txt', 'b.yml']).code).toBe(0);
    for (const [file, id] of [['a.yml', undefined], ['b.yml', 'prod']] as const) {
      const written = readFileSync(join(dir, file), 'utf8');
      const env = parseEnvelope(written);
      if (typeof env === 'string') throw new Error(env);
      const salt = Buffer.from(Buffer.from(env.payload, 'hex').toString('latin1').split('\n')[0]!, 'hex');
      expect(salt).toHaveLength(32);
      expect(formatEnvelope(encryptPayload(Buffer.from(PLAIN), Buffer.from('oracle-pw'), salt), id)).toBe(written);
    }
  });
});
