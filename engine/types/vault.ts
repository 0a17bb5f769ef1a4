import type { SourceLoc } from './source.js';

/**
 * What file loaders need from the vault: decrypting an envelope, and marking the decrypted
 * values as secrets so that no output of the run shows them. Kept here (types only) so that
 * source/ and inventory/ do not depend on vault/.
 */
export interface VaultDecrypter {
  /** The plaintext of a `$ANSIBLE_VAULT` envelope; throws a VaultError naming `file` and the vault id. */
  decrypt(vaultText: string, file: string, where?: SourceLoc): Buffer;
  /** Registers a secret (a decrypted value, a private prompt answer): from now on every output of the run shows it as ***. */
  markSecret(value: string): void;
}
