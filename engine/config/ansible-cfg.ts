import { toBool } from '../python/boolean.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** Settings tsplay reads from ansible.cfg and ANSIBLE_* variables, so Kubespray repos work unchanged. */
export interface AnsibleSettings {
  readonly configFile?: string;
  readonly inventory: readonly string[];
  readonly forks: number;
  readonly remoteUser?: string;
  readonly hostKeyChecking: boolean;
  readonly rolesPath: readonly string[];
  readonly gathering: 'implicit' | 'explicit' | 'smart';
  readonly factCaching?: string;
  readonly factCachingConnection?: string;
  readonly factCachingTimeout: number;
  readonly privateKeyFile?: string;
  readonly timeout: number;
  readonly become: boolean;
  readonly becomeUser: string;
  readonly becomeMethod: string;
  readonly becomeFlags?: string;
  readonly anyErrorsFatal: boolean;
  /** DEFAULT_STRATEGY: ANSIBLE_STRATEGY or [defaults] strategy, linear by default. */
  readonly strategy: string;
  readonly forceHandlers: boolean;
  readonly errorOnMissingHandler: boolean;
  /** hash_behaviour: replace (default) or merge. */
  readonly hashBehaviour: 'replace' | 'merge';
  readonly stdoutCallback?: string;
  /** vault_password_file / ANSIBLE_VAULT_PASSWORD_FILE, resolved like ansible's `path` settings. */
  readonly vaultPasswordFile?: string;
  /** vault_identity_list / ANSIBLE_VAULT_IDENTITY_LIST: LABEL@SOURCE slugs tried before the command line's. */
  readonly vaultIdentityList: readonly string[];
  /** vault_encrypt_identity / ANSIBLE_VAULT_ENCRYPT_IDENTITY: the id `tsplay vault` encrypts with. */
  readonly vaultEncryptIdentity?: string;
  /** vault_encrypt_salt / ANSIBLE_VAULT_ENCRYPT_SALT: a fixed salt (reproducible output, tests). */
  readonly vaultEncryptSalt?: string;
  /** Where non-native modules are looked up (library, module_utils, collections): see engine/pymodules. */
  readonly library: readonly string[];
  readonly moduleUtils: readonly string[];
  readonly collectionsPaths: readonly string[];
  readonly collectionsScanSysPath: boolean;
  readonly retryFilesEnabled: boolean;
  readonly retryFilesSavePath?: string;
  /**
   * tsplay's own: commands go through one persistent shell per host (and become user) instead
   * of an ssh channel each. TSPLAY_PERSISTENT_SHELL or [ssh_connection] tsplay_persistent_shell.
   */
  readonly persistentShell: boolean;
  /** Said once by the CLI before anything else (an ignored ansible.cfg). */
  readonly warnings: readonly string[];
}

type Ini = Record<string, Record<string, string>>;

function parseIni(text: string): Ini {
  const out: Ini = {};
  let section = 'defaults';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1]!.trim();
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq < 0) continue;
    (out[section] ??= {})[line.slice(0, eq).trim()] = line.slice(eq + 1).trim().replace(/\s+[#;].*$/, '');
  }
  return out;
}

function worldWritable(dir: string): boolean {
  try {
    return (statSync(dir).mode & 0o002) !== 0;
  } catch {
    return false;
  }
}

/**
 * ansible's search order: ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg.
 * Like ansible, ./ansible.cfg is skipped when the current directory is world writable: anyone
 * could have planted it (host_key_checking = False, a become_exe of their own).
 */
export function findConfigFile(env: NodeJS.ProcessEnv, cwd: string): { file?: string; warnings: string[] } {
  const cwdCfg = join(cwd, 'ansible.cfg');
  const skipCwd = worldWritable(cwd);
  const candidates = [env.ANSIBLE_CONFIG, skipCwd ? undefined : cwdCfg, join(homedir(), '.ansible.cfg'), '/etc/ansible/ansible.cfg'];
  const file = candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
  const fromEnv = env.ANSIBLE_CONFIG !== undefined && env.ANSIBLE_CONFIG !== '' && file === env.ANSIBLE_CONFIG;
  const warnings =
    skipCwd && !fromEnv && existsSync(cwdCfg)
      ? [`Ansible is being run in a world writable directory (${cwd}), ignoring it as an ansible.cfg source. For more information see https://docs.ansible.com/ansible/devel/reference_appendices/config.html#cfg-in-world-writable-dir`]
      : [];
  return { file, warnings };
}

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  return toBool(v);
}

function paths(v: string | undefined, base: string): string[] {
  if (!v) return [];
  return v.split(/[:,]/).filter((p) => p !== '').map((p) => resolve(base, p.replace(/^~(?=$|\/)/, homedir())));
}

/** ansible's DEFAULT_MODULE_PATH, DEFAULT_MODULE_UTILS_PATH and COLLECTIONS_PATHS with their defaults. */
function moduleSearchSettings(env: NodeJS.ProcessEnv, d: Record<string, string>, cwd: string, base: string) {
  const setting = (envNames: readonly string[], keys: readonly string[], dflt: string): string[] => {
    const fromEnv = envNames.map((n) => env[n]).find((v) => v !== undefined);
    if (fromEnv !== undefined) return paths(fromEnv, cwd);
    const fromCfg = keys.map((k) => d[k]).find((v) => v !== undefined);
    return paths(fromCfg ?? dflt, fromCfg === undefined ? cwd : base);
  };
  return {
    library: setting(['ANSIBLE_LIBRARY'], ['library'], '~/.ansible/plugins/modules:/usr/share/ansible/plugins/modules'),
    moduleUtils: setting(['ANSIBLE_MODULE_UTILS'], ['module_utils'], '~/.ansible/plugins/module_utils:/usr/share/ansible/plugins/module_utils'),
    collectionsPaths: setting(['ANSIBLE_COLLECTIONS_PATH', 'ANSIBLE_COLLECTIONS_PATHS'], ['collections_path', 'collections_paths'], '~/.ansible/collections:/usr/share/ansible/collections'),
    collectionsScanSysPath: bool(env.ANSIBLE_COLLECTIONS_SCAN_SYS_PATH ?? d.collections_scan_sys_path, true),
  };
}

export function loadSettings(env: NodeJS.ProcessEnv, cwd: string): AnsibleSettings {
  const { file, warnings } = findConfigFile(env, cwd);
  const ini = file ? parseIni(readFileSync(file, 'utf8')) : {};
  const base = file ? dirname(file) : cwd;
  const d = ini.defaults ?? {};
  const pe = ini.privilege_escalation ?? {};
  const pick = (envName: string, value: string | undefined) => env[envName] ?? value;
  const gathering = pick('ANSIBLE_GATHERING', d.gathering) ?? 'implicit';
  return {
    configFile: file,
    inventory: paths(pick('ANSIBLE_INVENTORY', d.inventory ?? d.hostfile), env.ANSIBLE_INVENTORY ? cwd : base),
    forks: Number(pick('ANSIBLE_FORKS', d.forks) ?? 50),
    remoteUser: pick('ANSIBLE_REMOTE_USER', d.remote_user),
    hostKeyChecking: bool(pick('ANSIBLE_HOST_KEY_CHECKING', d.host_key_checking), true),
    rolesPath: paths(pick('ANSIBLE_ROLES_PATH', d.roles_path), env.ANSIBLE_ROLES_PATH ? cwd : base),
    gathering: gathering === 'explicit' || gathering === 'smart' ? gathering : 'implicit',
    factCaching: pick('ANSIBLE_CACHE_PLUGIN', d.fact_caching),
    factCachingConnection: pick('ANSIBLE_CACHE_PLUGIN_CONNECTION', d.fact_caching_connection),
    factCachingTimeout: Number(pick('ANSIBLE_CACHE_PLUGIN_TIMEOUT', d.fact_caching_timeout) ?? 86400),
    privateKeyFile: pick('ANSIBLE_PRIVATE_KEY_FILE', d.private_key_file),
    timeout: Number(pick('ANSIBLE_TIMEOUT', d.timeout) ?? 10),
    become: bool(pick('ANSIBLE_BECOME', pe.become), false),
    becomeUser: pick('ANSIBLE_BECOME_USER', pe.become_user) ?? 'root',
    becomeMethod: pick('ANSIBLE_BECOME_METHOD', pe.become_method) ?? 'sudo',
    becomeFlags: pick('ANSIBLE_BECOME_FLAGS', pe.become_flags),
    anyErrorsFatal: bool(pick('ANSIBLE_ANY_ERRORS_FATAL', d.any_errors_fatal), false),
    strategy: pick('ANSIBLE_STRATEGY', d.strategy) ?? 'linear',
    forceHandlers: bool(pick('ANSIBLE_FORCE_HANDLERS', d.force_handlers), false),
    hashBehaviour: String(pick('ANSIBLE_HASH_BEHAVIOUR', d.hash_behaviour) ?? 'replace').trim().toLowerCase() === 'merge' ? 'merge' : 'replace',
    errorOnMissingHandler: bool(pick('ANSIBLE_ERROR_ON_MISSING_HANDLER', d.error_on_missing_handler), true),
    stdoutCallback: pick('ANSIBLE_STDOUT_CALLBACK', d.stdout_callback),
    vaultPasswordFile: paths(pick('ANSIBLE_VAULT_PASSWORD_FILE', d.vault_password_file), env.ANSIBLE_VAULT_PASSWORD_FILE ? cwd : base)[0],
    vaultIdentityList: (pick('ANSIBLE_VAULT_IDENTITY_LIST', d.vault_identity_list) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    vaultEncryptIdentity: pick('ANSIBLE_VAULT_ENCRYPT_IDENTITY', d.vault_encrypt_identity),
    vaultEncryptSalt: pick('ANSIBLE_VAULT_ENCRYPT_SALT', d.vault_encrypt_salt),
    ...moduleSearchSettings(env, d, cwd, base),
    retryFilesEnabled: bool(pick('ANSIBLE_RETRY_FILES_ENABLED', d.retry_files_enabled), false),
    retryFilesSavePath: paths(pick('ANSIBLE_RETRY_FILES_SAVE_PATH', d.retry_files_save_path), env.ANSIBLE_RETRY_FILES_SAVE_PATH ? cwd : base)[0],
    persistentShell: bool(pick('TSPLAY_PERSISTENT_SHELL', ini.ssh_connection?.tsplay_persistent_shell), true),
    warnings,
  };
}
