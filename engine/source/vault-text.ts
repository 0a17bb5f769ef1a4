import { VaultError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';
import type { VaultDecrypter } from '../types/vault.js';

/** The first bytes of every vault envelope (ansible's b_HEADER). */
export const VAULT_HEADER = '$ANSIBLE_VAULT';
export const NO_PASSWORD_HINT = 'give the password with --vault-password-file FILE, --vault-id LABEL@FILE or --ask-vault-pass (or vault_password_file in ansible.cfg)';

function labelOf(text: string): string {
  return text.split('\n', 1)[0]!.split(';')[3]?.trim() || 'default';
}

/**
 * The plaintext of a fully vault-encrypted file (like ansible's DataLoader, any file it reads may
 * be one), or undefined when the file is not encrypted.
 */
export function decryptVaultFile(text: string, file: string, vault: VaultDecrypter | undefined): string | undefined {
  if (!text.startsWith(VAULT_HEADER)) return undefined;
  return needVault(text, file, vault).decrypt(text, file).toString('utf8');
}

function needVault(text: string, file: string, vault: VaultDecrypter | undefined): VaultDecrypter {
  if (vault === undefined) throw new VaultError(`${file} is vault-encrypted (vault id '${labelOf(text)}') but no vault password was given`, { hint: NO_PASSWORD_HINT });
  return vault;
}

/**
 * An inline `!vault |` value. Unlike ansible, which decrypts on first use, it is decrypted as the
 * file loads: a wrong password stops the run before any host is touched.
 */
export function vaultScalar(text: string, where: SourceLoc, vault: VaultDecrypter | undefined): string {
  if (vault === undefined) {
    throw new VaultError(`found a !vault value (vault id '${labelOf(text)}') in ${where.file} but no vault password was given`, { where, hint: NO_PASSWORD_HINT });
  }
  const plain = vault.decrypt(text, where.file, where).toString('utf8');
  vault.markSecret(plain);
  return plain;
}

/** Every string (and number) read from an encrypted file is a secret for the outputs of the run. */
export function markSecretLeaves(value: unknown, vault: VaultDecrypter): void {
  if (typeof value === 'string') vault.markSecret(value);
  else if (typeof value === 'number' && Number.isFinite(value)) vault.markSecret(String(value));
  else if (Array.isArray(value)) for (const v of value) markSecretLeaves(v, vault);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) markSecretLeaves(v, vault);
}

/**
 * A controller file a module sends to a host (copy/template src): decrypted when vaulted, and
 * each of its lines becomes a secret for the outputs (diffs show *** instead). `null` means
 * "do not decrypt" (copy's `decrypt: false`).
 */
export function readControllerFile(data: Buffer, file: string, vault: VaultDecrypter | undefined | null): Buffer {
  if (vault === null || !data.subarray(0, VAULT_HEADER.length).equals(Buffer.from(VAULT_HEADER))) return data;
  const text = data.toString('latin1');
  const v = needVault(text, file, vault);
  const plain = v.decrypt(text, file);
  for (const line of plain.toString('utf8').split('\n')) if (line.trim() !== '') v.markSecret(line.trim());
  return plain;
}
