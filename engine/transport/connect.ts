import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { TsplayError, UnreachableError } from '../errors/index.js';
import { toBool } from '../python/boolean.js';
import type { Connection, ConnectionFactory, ConnectionParams } from '../types/connection.js';
import { parseSshArgs } from './jump-args.js';
import { HandshakeGate } from './handshake-gate.js';
import { LocalConnection } from './local.js';
import { Redactor, redactingSink, type LogSink } from './redact.js';
import type { SshConnection } from './ssh.js';
import type { DialOptions } from './ssh-dial.js';

export interface ConnectionFactoryOptions {
  /** -v count; at 3 commands are logged, at 4 the ssh2 protocol debug too. */
  readonly verbosity?: number;
  /** Receives log lines, already redacted. Default: drop them. */
  readonly log?: LogSink;
  /** Extra values to mask in logs (become passwords, no_log values known up front). */
  readonly redactor?: Redactor;
  /** Session channels per connection (sshd MaxSessions). Default 10. */
  readonly maxSessions?: number;
  /** ServerAliveInterval equivalent in seconds (0 = off). Default 15; ssh args can override. */
  readonly keepaliveSec?: number;
  /** ssh handshakes in flight per server (below sshd's MaxStartups start of 10). Default 8. */
  readonly handshakesPerServer?: number;
  /**
   * Run commands through one persistent shell per host (and per become user) instead of a
   * channel per command. Default: on, unless TSPLAY_PERSISTENT_SHELL=0 in `env`.
   */
  readonly persistentShell?: boolean;
  /** Environment to read SSH_AUTH_SOCK from. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The factory the runner uses: ansible_connection=local gets LocalConnection, anything else
 * (ssh, smart, paramiko) gets the ssh2 transport.
 */
export function createConnectionFactory(opts: ConnectionFactoryOptions = {}): ConnectionFactory {
  const gate = new HandshakeGate(opts.handshakesPerServer);
  return {
    async connect(params: ConnectionParams): Promise<Connection> {
      if (params.connection === 'local') {
        const log = redactingSink(opts.log ?? (() => undefined), opts.redactor ?? new Redactor());
        return new LocalConnection(params.inventoryHostname, (opts.verbosity ?? 0) >= 3 ? log : undefined);
      }
      return connectSsh(params, opts, gate);
    },
  };
}

/** Resolves params + ssh args into dial options; secrets are registered with the redactor first. */
export function sshDialOptions(params: ConnectionParams, opts: ConnectionFactoryOptions): DialOptions {
  const args = parseSshArgs(params.commonArgs, params.extraArgs);
  const redactor = (opts.redactor ?? new Redactor()).with(params.password, params.privateKeyPassphrase);
  const log = redactingSink(opts.log ?? (() => undefined), redactor);
  const verbosity = opts.verbosity ?? 0;
  if (verbosity >= 4 && args.ignored.length > 0) log(`<${params.host}> ssh args without effect here: ${args.ignored.join(' ')}`);
  const keepaliveSec = args.serverAliveIntervalSec ?? opts.keepaliveSec ?? 15;
  const env = opts.env ?? process.env;
  return {
    auth: {
      privateKeyFile: params.privateKeyFile ?? args.identityFile,
      passphrase: params.privateKeyPassphrase,
      password: params.password,
      agentSocket: env.SSH_AUTH_SOCK || undefined,
    },
    timeoutMs: (args.connectTimeoutSec ?? params.timeoutSec) * 1000,
    keepaliveMs: keepaliveSec * 1000,
    keepaliveCountMax: args.serverAliveCountMax ?? 3,
    retries: params.retries,
    hostKeyMode: args.strictHostKeyChecking ?? params.hostKeyChecking,
    knownHostsFile: params.knownHostsFile ?? args.userKnownHostsFile ?? join(homedir(), '.ssh', 'known_hosts'),
    verbosity,
    log,
  };
}

async function connectSsh(params: ConnectionParams, opts: ConnectionFactoryOptions, gate: HandshakeGate): Promise<SshConnection> {
  let dialOpts: DialOptions;
  try {
    dialOpts = { ...sshDialOptions(params, opts), gate };
  } catch (e) {
    // A bad ssh arg concerns this host only: it becomes unreachable and the others go on.
    if (!(e instanceof TsplayError)) throw e;
    throw new UnreachableError(`Failed to connect to the host via ssh: ${params.host}: ${e.message}`, { hint: e.hint, cause: e });
  }
  const target = { user: params.user ?? userInfo().username, host: params.host, port: params.port };
  const jumps = parseSshArgs(params.commonArgs, params.extraArgs).jumps;
  if (dialOpts.verbosity >= 3) {
    dialOpts.log(`<${target.host}> ESTABLISH SSH CONNECTION FOR USER: ${target.user} (port ${target.port}${jumps.length ? `, via ${jumps.map((j) => j.host).join(' -> ')}` : ''})`);
  }
  // loaded on the first ssh host, not at start: ssh2 and its crypto are a large part of start-up
  const [{ dial }, { SshConnection }] = await Promise.all([import('./ssh-dial.js'), import('./ssh.js')]);
  const session = await dial(target, jumps, dialOpts);
  return new SshConnection(params.inventoryHostname, target, session, {
    maxSessions: opts.maxSessions ?? 10,
    verbosity: dialOpts.verbosity,
    log: dialOpts.log,
    persistentShell: opts.persistentShell ?? persistentShellFromEnv(opts.env ?? process.env),
  });
}

/**
 * For factories made without the settings (tests, tools): TSPLAY_PERSISTENT_SHELL read as the
 * settings read it (ansible's boolean words), on when unset.
 */
function persistentShellFromEnv(env: NodeJS.ProcessEnv): boolean {
  const v = env.TSPLAY_PERSISTENT_SHELL;
  return v === undefined || toBool(v);
}
