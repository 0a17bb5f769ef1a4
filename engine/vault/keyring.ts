import { VaultError } from '../errors/index.js';
import { NO_PASSWORD_HINT } from '../source/vault-text.js';
import type { Secret } from '../types/secret.js';
import type { SourceLoc } from '../types/source.js';
import type { VaultDecrypter } from '../types/vault.js';
import { decryptPayload, encryptPayload } from './aes256.js';
import { formatEnvelope, isVaultText, parseEnvelope } from './envelope.js';

/** One vault password and the id it was given under (`default` unless `--vault-id LABEL@...`). */
export interface VaultSecret {
  readonly id: string;
  readonly password: Secret;
  /** Where it came from, for messages: a file name, `prompt` or a script. */
  readonly source: string;
}

export const DEFAULT_VAULT_ID = 'default';

/**
 * The vault passwords of one command, in ansible's order of preference. Decrypting tries the
 * secret whose id matches the envelope's label first, then all the others (ansible's default,
 * DEFAULT_VAULT_ID_MATCH=false: the label is a hint, not part of the signed payload).
 */
export class VaultKeyring implements VaultDecrypter {
  readonly #secrets: readonly VaultSecret[];
  readonly #onSecret: (value: string) => void;

  constructor(secrets: readonly VaultSecret[], onSecret: (value: string) => void = () => undefined) {
    this.#secrets = secrets;
    this.#onSecret = onSecret;
  }

  get ids(): string[] {
    return this.#secrets.map((s) => s.id);
  }

  get isEmpty(): boolean {
    return this.#secrets.length === 0;
  }

  markSecret(value: string): void {
    this.#onSecret(value);
  }

  decrypt(vaultText: string, file: string, where?: SourceLoc): Buffer {
    return this.decryptWithId(vaultText, file, where).plaintext;
  }

  decryptWithId(vaultText: string, file: string, where?: SourceLoc): { plaintext: Buffer; id: string } {
    const env = parseEnvelope(vaultText);
    if (typeof env === 'string') throw new VaultError(`${file} is not a valid vault: ${env}`, { where, hint: 'the text after $ANSIBLE_VAULT must be left as ansible-vault wrote it' });
    if (env.cipher !== 'AES256') throw new VaultError(`${file}: vault cipher ${env.cipher} is not supported`, { where, hint: 'ansible-vault writes AES256; re-encrypt the file with ansible-vault or tsplay vault' });
    const label = env.vaultId ?? DEFAULT_VAULT_ID;
    if (this.#secrets.length === 0) {
      throw new VaultError(`${file} is vault-encrypted (vault id '${label}') but no vault password was given`, { where, hint: NO_PASSWORD_HINT });
    }
    for (const s of this.#ordered(label)) {
      const out = decryptPayload(env.payload, Buffer.from(s.password.reveal(), 'utf8'));
      if (out.kind === 'ok') return { plaintext: out.plaintext, id: s.id };
      if (out.kind === 'format') throw new VaultError(`${file} is not a valid vault: ${out.reason}`, { where, hint: 'the vault text looks damaged; restore it from version control' });
    }
    throw new VaultError(`Decryption failed on ${file}: no vault password matches (vault id '${label}'; tried ${this.ids.map((i) => `'${i}'`).join(', ')})`, {
      where,
      hint: `give the password of vault id '${label}' with --vault-id ${label}@FILE or --vault-password-file FILE`,
    });
  }

  #ordered(label: string): VaultSecret[] {
    return [...this.#secrets.filter((s) => s.id === label), ...this.#secrets.filter((s) => s.id !== label)];
  }

  /** Like ansible: the secret of --encrypt-vault-id, else the first one. */
  secretForEncrypt(encryptId?: string): VaultSecret {
    const s = encryptId === undefined ? this.#secrets[0] : this.#secrets.find((x) => x.id === encryptId);
    if (s !== undefined) return s;
    if (encryptId !== undefined) throw new VaultError(`Did not find a match for --encrypt-vault-id=${encryptId} in the known vault ids ${this.ids.join(', ')}`, { hint: `add --vault-id ${encryptId}@SOURCE` });
    throw new VaultError('A vault password must be specified to encrypt data', { hint: NO_PASSWORD_HINT });
  }

  /** A complete envelope (header, 80-column lines, final newline), byte for byte like ansible-vault. */
  encrypt(plaintext: Buffer, encryptId?: string, salt?: Buffer): string {
    if (isVaultText(plaintext)) throw new VaultError('input is already encrypted', { hint: 'decrypt it first, or use rekey to change its password' });
    const s = this.secretForEncrypt(encryptId);
    return formatEnvelope(encryptPayload(plaintext, Buffer.from(s.password.reveal(), 'utf8'), salt), s.id);
  }
}
