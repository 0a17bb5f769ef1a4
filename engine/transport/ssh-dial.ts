import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Client as SshClient, ConnectConfig } from 'ssh2';
import { UnreachableError } from '../errors/index.js';
import type { JumpHost } from './jump-args.js';
import {
  appendKnownHost,
  checkHostKey,
  knownHostsName,
  knownKeyTypes,
  loadKnownHosts,
  refusalMessage,
  type HostKeyMode,
  type KnownHostEntry,
} from './known-hosts.js';
import type { LogSink } from './redact.js';
import type { HandshakeGate } from './handshake-gate.js';
import { authCandidates, authHandler, KeyFileError, type AuthInputs } from './ssh-auth.js';

export interface Endpoint {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

export interface DialOptions {
  readonly auth: Omit<AuthInputs, 'user'>;
  readonly timeoutMs: number;
  readonly keepaliveMs: number;
  readonly keepaliveCountMax: number;
  readonly retries: number;
  readonly hostKeyMode: HostKeyMode;
  readonly knownHostsFile: string;
  readonly verbosity: number;
  readonly log: LogSink;
  /** Shared by every dial of one run: bounds handshakes in flight per server (MaxStartups). */
  readonly gate?: HandshakeGate;
}

/** An open session plus the bastion sessions it rides on (closed together). */
export interface Dialled {
  readonly client: SshClient;
  readonly hops: readonly SshClient[];
}

export function describe(ep: Endpoint): string {
  return `${ep.user}@${ep.host}:${ep.port}`;
}

/** Errors worth another attempt: the host may be booting or briefly overloaded. */
const TRANSIENT = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN']);

class DialFailure extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    /** The server hung up before login (sshd's MaxStartups, a restart): always worth a few quick retries. */
    readonly dropped = false,
  ) {
    super(message);
  }
}

/** How many times a connection the server dropped before login is tried again, whatever ansible_ssh_retries says. */
const DROPPED_RETRIES = 6;

const ERRNO_WORDS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ECONNRESET: 'Connection reset by peer',
  ENOTFOUND: 'Could not resolve hostname',
  EAI_AGAIN: 'Temporary failure in name resolution',
};

function tcpConnect(ep: Endpoint, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: ep.host, port: ep.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new DialFailure(`connect to host ${ep.host} port ${ep.port}: Connection timed out`, true));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      // Nagle's algorithm costs ~45 ms per small command round trip (lab-notes.md).
      sock.setNoDelay(true);
      resolve(sock);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const words = ERRNO_WORDS[e.code ?? ''] ?? e.message;
      // a reset right after the kernel accepted is sshd hanging up on a startup past MaxStartups
      reject(new DialFailure(`connect to host ${ep.host} port ${ep.port}: ${words}`, TRANSIENT.has(e.code ?? ''), e.code === 'ECONNRESET'));
    });
  });
}

function forwardThrough(hop: SshClient, ep: Endpoint): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    hop.forwardOut('127.0.0.1', 0, ep.host, ep.port, (err, stream) => {
      if (err) reject(new DialFailure(`jump host could not open a channel to ${ep.host}:${ep.port}: ${err.message}`, true));
      else resolve(stream);
    });
  });
}

/** Checks the offered host key against known_hosts; `refused` receives the reason, if any. */
function hostVerifier(ep: Endpoint, entries: readonly KnownHostEntry[], opts: DialOptions, refused: (why: string) => void): ConnectConfig['hostVerifier'] {
  const name = knownHostsName(ep.host, ep.port);
  return ((key: Buffer, verify: (ok: boolean) => void) => {
    if (opts.hostKeyMode === 'off') return verify(true);
    const verdict = checkHostKey(entries, name, key);
    const refusal = refusalMessage(verdict, opts.hostKeyMode, name, opts.knownHostsFile, key);
    if (refusal !== undefined) {
      refused(refusal);
      return verify(false);
    }
    if (verdict.kind !== 'new') return verify(true);
    opts.log(`<${ep.host}> Permanently added '${name}' to the list of known hosts (${opts.knownHostsFile})`);
    appendKnownHost(opts.knownHostsFile, name, key).then(() => verify(true), () => verify(true));
  }) as ConnectConfig['hostVerifier'];
}

/** ssh2 handshake and login over an already open stream, with host key checking. */
async function handshake(ep: Endpoint, sock: Duplex, opts: DialOptions): Promise<SshClient> {
  const entries = opts.hostKeyMode === 'off' ? [] : await loadKnownHosts(opts.knownHostsFile);
  const tried: string[] = [];
  let refusal: string | undefined;
  const config: ConnectConfig = {
    sock: sock as unknown as ConnectConfig['sock'],
    username: ep.user,
    readyTimeout: opts.timeoutMs,
    keepaliveInterval: opts.keepaliveMs,
    keepaliveCountMax: opts.keepaliveCountMax,
    authHandler: authHandler(await authCandidates({ ...opts.auth, user: ep.user }), tried),
    hostVerifier: hostVerifier(ep, entries, opts, (why) => (refusal = why)),
    debug: opts.verbosity >= 4 ? (m: string) => opts.log(`<${ep.host}> ssh2: ${m}`) : undefined,
  };
  const preferred = knownKeyTypes(entries, knownHostsName(ep.host, ep.port));
  if (preferred.length > 0) config.algorithms = { serverHostKey: preferHostKeyTypes(preferred) } as ConnectConfig['algorithms'];
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let settled = false;
    const fail = (f: DialFailure): void => {
      if (settled) return;
      settled = true;
      client.end();
      reject(f);
    };
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    // Listens for good, not once: ssh2 may emit a second error before the handshake ends (socket
    // reset after a protocol error), and an unheard 'error' event crashes the whole process.
    // After 'ready', errors surface to SshConnection as 'close'.
    client.on('error', (e: Error & { level?: string }) => fail(handshakeFailure(e, refusal, tried)));
    // sshd past MaxStartups just closes the socket: ssh2 would wait for its ready timeout
    const hungUp = (): void => fail(new DialFailure('Connection closed by the server before login', true, true));
    client.on('close', hungUp);
    sock.once('end', hungUp);
    sock.once('close', hungUp);
    // the hang-up may have come while known_hosts and keys were read
    if (sock.destroyed || sock.readableEnded) return hungUp();
    client.connect(config);
  });
}

function handshakeFailure(e: Error & { level?: string }, refusal: string | undefined, tried: readonly string[]): DialFailure {
  if (refusal !== undefined) return new DialFailure(`Host key verification failed: ${refusal}`, false);
  if (e.level === 'client-authentication') return new DialFailure(`Permission denied (tried: ${tried.join(', ') || 'no usable method'})`, false);
  const code = (e as NodeJS.ErrnoException).code ?? '';
  // sshd past MaxStartups closes or resets fresh connections before (or while) sending its banner
  const dropped = code === 'ECONNRESET' || code === 'EPIPE' || /before handshake|kex_exchange|Connection lost|socket hang up/i.test(e.message);
  const transient = dropped || e.level === 'client-timeout' || TRANSIENT.has(code);
  return new DialFailure(e.message, transient, dropped);
}

/** Known key types first (as OpenSSH does), then ssh2's other supported ones. */
function preferHostKeyTypes(known: readonly string[]): string[] {
  const supported = [
    'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
    'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa',
  ];
  // A known ssh-rsa key is offered by servers under the rsa-sha2 signature names.
  const expand = (t: string): string[] => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]);
  const first = known.flatMap(expand).filter((t) => supported.includes(t));
  return [...new Set([...first, ...supported])];
}

async function dialOnce(target: Endpoint, jumps: readonly Endpoint[], opts: DialOptions): Promise<Dialled> {
  const hops: SshClient[] = [];
  try {
    const chain = [...jumps, target];
    for (let i = 0; i < chain.length; i++) {
      const leave = await (opts.gate?.enter(`${chain[i].host}:${chain[i].port}`) ?? (() => undefined));
      try {
        const sock: Duplex = i === 0 ? await tcpConnect(chain[0], opts.timeoutMs) : await forwardThrough(hops[i - 1], chain[i]);
        const client = await handshake(chain[i], sock, opts).catch((e: unknown) => {
          if (e instanceof DialFailure && i < chain.length - 1) throw new DialFailure(`jump host ${describe(chain[i])}: ${e.message}`, e.transient, e.dropped);
          throw e;
        });
        hops.push(client);
      } finally {
        leave();
      }
    }
    const client = hops.pop() as SshClient;
    return { client, hops };
  } catch (e) {
    for (const h of hops) h.end();
    throw e;
  }
}

/**
 * Opens one ssh session to `target` (through `jumps` if any), retrying transient failures
 * with ansible's backoff (1, 3, 7 ... s, at most 30). Every failure is an UnreachableError.
 */
export async function dial(target: Endpoint, jumps: readonly JumpHost[], opts: DialOptions): Promise<Dialled> {
  const hopEps = jumps.map((j) => ({ user: j.user ?? target.user, host: j.host, port: j.port }));
  for (let attempt = 0, drops = 0; ; attempt++) {
    try {
      return await dialOnce(target, hopEps, opts);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const transient = e instanceof DialFailure && e.transient;
      if (e instanceof DialFailure && e.dropped && drops < DROPPED_RETRIES) {
        // an overloaded server, not a dead host: retry soon, with jitter so the retries spread out
        const pauseMs = 50 * 2 ** drops++ + Math.floor(Math.random() * 50);
        opts.log(`<${target.host}> ssh: ${msg}; retrying in ${pauseMs} ms`);
        await new Promise((r) => setTimeout(r, pauseMs));
        attempt--;
        continue;
      }
      if (transient && attempt < opts.retries) {
        const pause = Math.min(2 ** (attempt + 1) - 1, 30);
        opts.log(`<${target.host}> ssh: attempt ${attempt + 1} failed (${msg}), retrying in ${pause}s`);
        await new Promise((r) => setTimeout(r, pause * 1000));
        continue;
      }
      const hint = e instanceof KeyFileError ? 'check ansible_ssh_private_key_file and its passphrase' : undefined;
      // like OpenSSH's own words, which ansible passes on: "ssh: connect to host H port P: ..."
      const who = msg.startsWith('connect to host ') ? 'ssh' : describe(target);
      throw new UnreachableError(`Failed to connect to the host via ssh: ${who}: ${msg}`, { cause: e, hint });
    }
  }
}
