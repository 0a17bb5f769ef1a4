import { Secret } from '../types/secret.js';
import type { BecomeSpec, ConnectionParams } from '../types/connection.js';
import type { LazyVars } from '../vars/var-source.js';
import type { RunOptions } from './context.js';
import { toBool } from '../python/boolean.js';

function str(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

function first(vars: LazyVars, ...names: string[]): unknown {
  for (const n of names) if (vars.has(n)) return vars.get(n);
  return undefined;
}

/**
 * How to reach a host, from its variables like ansible's connection plugins read them:
 * ansible_host, ansible_port, ansible_user (or the task's remote_user), keys and ssh args.
 * Implicit localhost (not in the inventory) uses the local connection, as in ansible.
 */
export function connectionParams(host: string, vars: LazyVars, kw: Readonly<Record<string, unknown>>, opts: RunOptions, inInventory: boolean): ConnectionParams {
  const implicitLocal = !inInventory && ['localhost', '127.0.0.1', '::1'].includes(host);
  const connection = str(first(vars, 'ansible_connection')) ?? str(kw.connection) ?? (implicitLocal ? 'local' : (opts.connection ?? 'ssh'));
  const checking = first(vars, 'ansible_host_key_checking', 'ansible_ssh_host_key_checking');
  const pw = str(first(vars, 'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password'));
  const pass = str(first(vars, 'ansible_ssh_private_key_passphrase'));
  return {
    inventoryHostname: host,
    connection,
    host: str(first(vars, 'ansible_host', 'ansible_ssh_host')) ?? host,
    port: Number(first(vars, 'ansible_port', 'ansible_ssh_port') ?? kw.port ?? 22),
    user: str(first(vars, 'ansible_user', 'ansible_ssh_user')) ?? str(kw.remote_user) ?? opts.remoteUser,
    password: pw === undefined ? undefined : new Secret(pw),
    privateKeyFile: str(first(vars, 'ansible_ssh_private_key_file', 'ansible_private_key_file')) ?? opts.privateKeyFile,
    privateKeyPassphrase: pass === undefined ? undefined : new Secret(pass),
    commonArgs: str(first(vars, 'ansible_ssh_common_args')) ?? opts.sshCommonArgs,
    extraArgs: str(first(vars, 'ansible_ssh_extra_args')) ?? opts.sshExtraArgs,
    timeoutSec: Number(first(vars, 'ansible_ssh_timeout', 'ansible_timeout') ?? opts.connectTimeoutSec),
    retries: Number(first(vars, 'ansible_ssh_retries') ?? 0),
    hostKeyChecking: checking === undefined ? opts.hostKeyChecking : toBool(checking) ? 'strict' : 'off',
  };
}

/** become settings: task/block/play keywords, then ansible_become* variables, then CLI/config. */
export function becomeSpec(vars: LazyVars, kw: Readonly<Record<string, unknown>>, opts: RunOptions): BecomeSpec | undefined {
  const enabled = kw.become !== undefined ? toBool(kw.become) : vars.has('ansible_become') ? toBool(vars.get('ansible_become')) : opts.become.enabled;
  if (!enabled) return undefined;
  const method = str(kw.become_method) ?? str(first(vars, 'ansible_become_method')) ?? opts.become.method;
  const user = str(kw.become_user) ?? str(first(vars, 'ansible_become_user')) ?? opts.become.user;
  const pw = str(first(vars, 'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass'));
  const flags = str(kw.become_flags) ?? str(first(vars, 'ansible_become_flags')) ?? opts.become.flags;
  return {
    method: method === 'su' ? 'su' : 'sudo',
    user,
    flags,
    exe: str(kw.become_exe) ?? str(first(vars, 'ansible_become_exe')),
    password: pw === undefined ? opts.become.password : new Secret(pw),
  };
}
