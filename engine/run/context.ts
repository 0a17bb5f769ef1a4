import type { Inventory, VarsFolders } from '../inventory/index.js';
import type { PlaybookLoader } from '../model/playbook-loader.js';
import type { Node, Play, RawVars, RoleRef } from '../model/types.js';
import type { NotificationBook } from './notifications.js';
import type { StrategyName } from '../types/strategy-name.js';
import type { Templar } from '../template/index.js';
import type { RunEvent } from '../types/events.js';
import type { ConnectionPool } from './connection-pool.js';
import type { RunState } from './run-state.js';
import type { HostLedger } from './host-ledger.js';
import type { HostNotebook } from './host-notes.js';
import type { ModuleArgValidator } from '../modules/validate.js';
import type { JsonFileFactCache } from '../facts/cache.js';
import type { Redactor } from '../transport/redact.js';
import type { VaultDecrypter } from '../types/vault.js';
import type { Ask } from '../types/prompt.js';
import type { PyModuleRunner } from '../pymodules/index.js';
import type { Secret } from '../types/secret.js';
import type { VarLayerEntry } from '../vars/layers.js';

export interface RunOptions {
  readonly check: boolean;
  readonly diff: boolean;
  readonly forks: number;
  readonly verbosity: number;
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  readonly extraVars: RawVars;
  readonly limit?: string;
  readonly startAtTask?: string;
  /** -b / --become-user / --become-method and ansible.cfg [privilege_escalation] defaults. */
  readonly become: { readonly enabled: boolean; readonly user: string; readonly method: string; readonly flags?: string; readonly password?: Secret };
  /** -c, --ssh-common-args, --ssh-extra-args: defaults for hosts whose variables set none. */
  readonly connection?: string;
  readonly sshCommonArgs?: string;
  readonly sshExtraArgs?: string;
  readonly remoteUser?: string;
  /** --private-key / ansible.cfg private_key_file: used when a host sets no key of its own. */
  readonly privateKeyFile?: string;
  readonly connectTimeoutSec: number;
  readonly gathering: 'implicit' | 'explicit' | 'smart';
  readonly hostKeyChecking: 'strict' | 'accept-new' | 'off';
  readonly forceHandlers: boolean;
  /** ANSIBLE_ERROR_ON_MISSING_HANDLER (default true). */
  readonly errorOnMissingHandler?: boolean;
  /** ANSIBLE_HASH_BEHAVIOUR=merge: mappings from several variable layers are merged. */
  readonly hashBehaviour?: 'replace' | 'merge';
  readonly anyErrorsFatal: boolean;
  /** The strategy of plays that name none (ANSIBLE_STRATEGY, ansible.cfg); linear when unset. */
  readonly strategy?: string;
  readonly inventoryDir?: string;
  readonly inventoryFile?: string;
  readonly configFile?: string;
  /** retry_files_enabled / retry_files_save_path: failed hosts listed for `--limit @FILE`. */
  readonly retryFiles?: { readonly enabled: boolean; readonly savePath?: string };
}

/** What every part of a run needs, passed explicitly (no globals). */
export interface RunContext {
  readonly options: RunOptions;
  readonly templar: Templar;
  readonly state: RunState;
  /** Each host's standing (failed, unreachable, ended) and the recap counters. */
  readonly ledger: HostLedger;
  readonly connections: ConnectionPool;
  readonly emit: (event: RunEvent) => void;
  readonly omit: string;
  readonly moduleArgs: ModuleArgValidator;
  /** fact_caching = jsonfile: facts survive between runs, so --limit runs see other hosts' facts. */
  readonly factCache?: JsonFileFactCache;
  /** Secrets seen during the run (no_log values): every log line passes through it. */
  readonly redactor: Redactor;
  /** Aborted on SIGINT/SIGTERM: no new task starts and running remote commands are killed. */
  readonly signal?: AbortSignal;
  /** Decrypts vaulted files and !vault values read during the run (vars_files, include_vars, copy src). */
  readonly vault?: VaultDecrypter;
  /** The user's terminal for vars_prompt and pause; undefined when stdin is not a TTY. */
  readonly ask?: Ask;
  /** Ansible modules without a native implementation, run through the host's Python (engine/pymodules). */
  readonly pyModules?: PyModuleRunner;
  /** What the run saw of each host's files (guarded writes plan from it); absent in unit tests. */
  readonly notes?: HostNotebook;
}

export interface PlayContext {
  readonly run: RunContext;
  readonly play: Play;
  /** The play's strategy plugin by name (templated, checked): linear, free or host_pinned. */
  readonly strategy: StrategyName;
  /** The loader of the playbook file this play came from: run-time includes resolve against it. */
  readonly loader: PlaybookLoader;
  readonly playbookVars?: VarsFolders;
  /** Answers to the play's vars_prompt (ansible puts them in the play's vars). */
  readonly promptVars: RawVars;
  /** Every host the play targets (ansible_play_hosts_all). */
  readonly playHostsAll: readonly string[];
  /** The current serial batch (ansible_play_batch). */
  batch: readonly string[];
  /** vars_files loaded per host (paths may be templated per host). */
  readonly varsFiles: Map<string, readonly { source: string; vars: RawVars }[]>;
  readonly caches: PlayCaches;
  readonly book: NotificationBook;
  /** Parsed include_tasks files, shared by hosts so that they run in lockstep. */
  readonly includeCache: Map<string, readonly Node[]>;
  /** Roles brought in by include_role with public: true; like ansible they join the play's roles (vars play-wide). */
  readonly publicIncludedRoles: RoleRef[];
}

/** The play-level magic variables for one batch, inventory and standing of the hosts (vars-builder.ts). */
export interface PlayMagic {
  readonly standing: number;
  readonly forBatch: readonly string[];
  readonly inv: Inventory;
  readonly layer: VarLayerEntry;
  /** ansible_play_hosts and ansible_play_batch: the hosts still in the game. */
  readonly playHosts: readonly string[];
  readonly activeBatch: readonly string[];
}

export interface PlayCaches {
  groupsFor?: { inv: Inventory; groups: Record<string, string[]> };
  playMagic?: PlayMagic;
  /** The facts layer of each host's facts object (replaced, never changed in place, when facts change). */
  readonly factLayers: WeakMap<object, VarLayerEntry>;
  /** The hostvars view: it resolves lazily, so one serves every host and task of the play. */
  hostvars?: Record<string, unknown>;
  inventoryLayers: Map<string, { inv: Inventory; layers: readonly { layer: string; source: string; vars: RawVars }[] }>;
}

/** Hosts of the play that are still in the game (not failed, unreachable or ended). */
export function activeHosts(pc: PlayContext, among: readonly string[]): string[] {
  return pc.run.ledger.active(among);
}
