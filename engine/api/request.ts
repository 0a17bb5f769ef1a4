import type { RawVars } from '../model/types.js';
import type { VaultSecret } from '../vault/keyring.js';
import type { Secret } from '../types/secret.js';

/** Everything a run needs from the command line (or a test), already parsed. */
export interface RunRequest {
  readonly playbooks: readonly string[];
  readonly inventories: readonly string[];
  readonly limit?: string;
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  readonly extraVars: RawVars;
  readonly check: boolean;
  readonly diff: boolean;
  readonly forks?: number;
  readonly verbosity: number;
  readonly mode: 'run' | 'list-hosts' | 'list-tasks' | 'list-tags' | 'syntax-check';
  readonly startAtTask?: string;
  readonly forceHandlers?: boolean;
  readonly user?: string;
  readonly privateKey?: string;
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly becomeMethod?: string;
  /** -K: used for hosts that set no ansible_become_password. */
  readonly becomePassword?: Secret;
  /** -c: the connection of hosts that set none. */
  readonly connection?: string;
  /** -T: ssh connection timeout in seconds. */
  readonly timeout?: number;
  readonly sshCommonArgs?: string;
  readonly sshExtraArgs?: string;
  /** --flush-cache: drop every inventory host's cached facts before the run. */
  readonly flushCache?: boolean;
  /** ansible's text or json callback; 'none' when another reporter (plan) owns stdout. */
  readonly output: 'text' | 'json' | 'none';
  readonly color: boolean;
  /** --events FILE|-: one JSON object per line as things happen ('-' is stdout). */
  readonly events?: string;
  /** --profile: slowest tasks, role totals and remote work per host after the recap. */
  readonly profile?: boolean;
  /** Live status line (the CLI sets it only when stdout is a TTY and --no-progress is absent). */
  readonly progress?: boolean;
  /** Vault passwords, already read (--vault-id, --vault-password-file, --ask-vault-pass, ansible.cfg). */
  readonly vaultSecrets?: readonly VaultSecret[];
  /** Values already decrypted before the run (a vaulted `-e @file`): masked in every output. */
  readonly knownSecrets?: readonly Secret[];
}
