/**
 * The vault envelope, like ansible-core's format_vaulttext_envelope: a header
 * `$ANSIBLE_VAULT;1.1;AES256` (1.2 adds `;LABEL` for a vault id other than `default`), then
 * the hexlified payload in lines of 80 characters, and a final newline.
 */
import { VAULT_HEADER } from '../source/vault-text.js';

export { VAULT_HEADER };

export interface Envelope {
  readonly version: string;
  readonly cipher: string;
  /** The label of a 1.2 envelope; undefined for 1.1 (ansible then says `default`). */
  readonly vaultId?: string;
  readonly payload: string;
}

/** Like ansible's is_encrypted: the data starts with the header (after nothing else). */
export function isVaultText(text: string | Buffer): boolean {
  const head = typeof text === 'string' ? text.slice(0, VAULT_HEADER.length) : text.subarray(0, VAULT_HEADER.length).toString('latin1');
  return head === VAULT_HEADER;
}

export function formatEnvelope(payload: string, vaultId?: string): string {
  const labelled = vaultId !== undefined && vaultId !== '' && vaultId !== 'default';
  const header = labelled ? `${VAULT_HEADER};1.2;AES256;${vaultId}` : `${VAULT_HEADER};1.1;AES256`;
  const lines = [header];
  for (let i = 0; i < payload.length; i += 80) lines.push(payload.slice(i, i + 80));
  return `${lines.join('\n')}\n`;
}

/** Returns the parts, or a reason the envelope is malformed. */
export function parseEnvelope(text: string): Envelope | string {
  const lines = text.trim().split(/\r?\n/);
  const header = (lines[0] ?? '').trim().split(';');
  if (header[0] !== VAULT_HEADER) return 'it does not start with $ANSIBLE_VAULT';
  if (header.length < 3) return `the header "${lines[0]}" lacks the version or cipher`;
  const version = header[1]!.trim();
  const cipher = header[2]!.trim();
  const vaultId = header.length >= 4 ? header[3]!.trim() : undefined;
  const payload = lines.slice(1).map((l) => l.trim()).join('');
  return { version, cipher, payload, ...(vaultId === undefined ? {} : { vaultId }) };
}
