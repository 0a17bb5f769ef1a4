import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { VaultError } from '../errors/index.js';
import { editInEditor, modeOf, readInput, writeOutput } from './files.js';
import type { VaultKeyring } from './keyring.js';

/**
 * What `tsplay vault ACTION` does to files, like ansible-vault's VaultEditor: every result is
 * written atomically (temp file + rename), new files 0600, rewritten files keep their mode.
 */
export interface VaultActionContext {
  readonly keyring: VaultKeyring;
  /** The vault id to encrypt with (--encrypt-vault-id / vault_encrypt_identity). */
  readonly encryptId?: string;
  /** A fixed salt (vault_encrypt_salt): the same input gives the same bytes, like ansible. */
  readonly salt?: Buffer;
}

function decryptFile(ctx: VaultActionContext, file: string): { plaintext: Buffer; id: string } {
  const text = readInput(file).toString('utf8');
  if (!text.startsWith('$ANSIBLE_VAULT')) throw new VaultError(`input is not vault encrypted data: ${file} is not a vault encrypted file`, { hint: 'encrypt it first with tsplay vault encrypt' });
  return ctx.keyring.decryptWithId(text, file);
}

function encryptWith(ctx: VaultActionContext, plaintext: Buffer, id?: string): string {
  return ctx.keyring.encrypt(plaintext, id ?? ctx.encryptId, ctx.salt);
}

export function encryptFiles(ctx: VaultActionContext, files: readonly string[], output?: string): void {
  for (const f of files.length > 0 ? files : ['-']) writeOutput(output ?? f, encryptWith(ctx, readInput(f)));
}

export function decryptFiles(ctx: VaultActionContext, files: readonly string[], output?: string): void {
  for (const f of files.length > 0 ? files : ['-']) writeOutput(output ?? f, decryptFile(ctx, f).plaintext);
}

export function viewFiles(ctx: VaultActionContext, files: readonly string[], write: (b: Buffer) => void): void {
  for (const f of files) write(decryptFile(ctx, f).plaintext);
}

/** Like ansible-vault edit: re-encrypted with the same vault id and password, only when changed. */
export function editFile(ctx: VaultActionContext, file: string): void {
  const { plaintext, id } = decryptFile(ctx, file);
  const edited = editInEditor(plaintext, file);
  if (edited.equals(plaintext)) return;
  writeOutput(file, ctx.keyring.encrypt(edited, id, ctx.salt), modeOf(file));
}

export function createFile(ctx: VaultActionContext, file: string): void {
  if (existsSync(file)) throw new VaultError(`${file} exists, please use 'edit' instead`);
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const edited = editInEditor(Buffer.alloc(0), file);
  writeOutput(file, encryptWith(ctx, edited));
}

/** Decrypts with the current passwords, encrypts with `next` (its first or --new-vault-id secret). */
export function rekeyFiles(ctx: VaultActionContext, next: VaultActionContext, files: readonly string[]): void {
  for (const f of files) {
    const { plaintext } = decryptFile(ctx, f);
    writeOutput(f, encryptWith(next, plaintext), modeOf(f));
  }
}

/** ansible-vault encrypt_string's YAML: `NAME: !vault |` and the envelope indented by 10. */
export function formatVaultString(envelope: string, name?: string): string {
  const lines = [`${name ? `${name}: ` : ''}!vault |`, ...envelope.split('\n').filter((l) => l !== '').map((l) => `${' '.repeat(10)}${l}`)];
  return lines.join('\n');
}

export function encryptStrings(ctx: VaultActionContext, items: readonly { text: string; name?: string }[]): string {
  return items.map((it) => formatVaultString(encryptWith(ctx, Buffer.from(it.text, 'utf8')), it.name)).join('\n');
}
