import { createHash } from 'node:crypto';
import type { BecomeSpec, ExecRequest, ExecResult } from '../types/connection.js';
import { becomeFailure, wrapBecome } from './become.js';
import { RemoteShell, ShellStartError, type ShellChannel } from './remote-shell.js';
import { framesPayload } from './shell-frame.js';
import { quote, withCwdAndEnv } from './shell.js';

/** What the pool needs from its connection. */
export interface ShellPoolDeps {
  readonly host: string;
  /** Opens a channel running `command` for the shell's life; throws when none can be had. */
  open(command: string): Promise<ShellChannel>;
  /** Kills a command's process tree on a channel of its own, as the command's (become) user. */
  killTree(pid: number, become: BecomeSpec | undefined): Promise<void>;
  /** The connection's loss as an error; undefined while it lives. */
  lost(): Error | undefined;
  readonly verbosity: number;
  readonly log: (line: string) => void;
}

const START_TIMEOUT_MS = 15_000;
/** Shells of one identity replaced for stray output before its commands take channels for good. */
const MAX_RETIRED = 3;

/**
 * Persistent shells of one host: one for the login user and one per become identity (sudo
 * started once with its password on stdin, never in argv). `exec` answers undefined whenever a
 * command must take a channel of its own instead (the per-channel path stays the fallback):
 * su (its password prompt wants a terminal), the shell busy with another command of the same
 * host, a payload too large for a frame, or a shell that could not start or died.
 */
export class ShellPool {
  /** undefined once the shell of that identity is known not to work: its commands use channels. */
  readonly #shells = new Map<string, Promise<RemoteShell | undefined>>();
  readonly #retired = new Map<string, number>();
  /** The login shell while it starts: commands meanwhile take channels instead of waiting. */
  #warming: Promise<unknown> | undefined;

  constructor(private readonly deps: ShellPoolDeps) {}

  /**
   * Starts the login user's shell right after connecting, off the critical path: the first
   * commands (facts) do not wait for it, they take channels until it is ready.
   */
  warm(): void {
    const p = this.#shell('', undefined);
    this.#warming = p;
    p.then(() => (this.#warming = undefined), () => (this.#warming = undefined));
  }

  async exec(req: ExecRequest): Promise<ExecResult | undefined> {
    if (req.become?.method === 'su') return undefined;
    const key = identity(req.become);
    if (key === '' && this.#warming !== undefined) return undefined;
    let shell = await this.#shell(key, req.become);
    if (shell?.dead === true) {
      this.#ended(key, shell);
      shell = await this.#shell(key, req.become);
    }
    if (shell === undefined || !shell.available || !framesPayload(req.stdin, shell.caps)) return undefined;
    const command = withCwdAndEnv(req.command, req.cwd, req.env);
    if (this.deps.verbosity >= 3) this.deps.log(`<${this.deps.host}> SSH: EXEC (persistent shell${req.become ? ` as ${req.become.user}` : ''}) /bin/sh -c ${quote(command)}`);
    const res = await shell.run({ command, stdin: req.stdin, timeoutMs: req.timeoutMs, signal: req.signal }, {
      killTree: (pid) => this.deps.killTree(pid, req.become),
      lost: () => this.deps.lost(),
    });
    if (shell.dead) this.#ended(key, shell);
    return res;
  }

  /** A retired shell (stray output from a background process) is replaced, a few times at most. */
  #ended(key: string, shell: RemoteShell): void {
    const n = (this.#retired.get(key) ?? 0) + 1;
    this.#retired.set(key, n);
    if (shell.retired && n <= MAX_RETIRED) {
      this.#shells.delete(key);
      if (this.deps.verbosity >= 1) this.deps.log(`<${this.deps.host}> a background process writes to the persistent shell's output; starting a new shell`);
      return;
    }
    this.#gone(key, 'the persistent shell ended');
  }

  #gone(key: string, why: string): void {
    this.#shells.set(key, Promise.resolve(undefined));
    if (this.deps.verbosity >= 1) this.deps.log(`<${this.deps.host}> ${why}; commands${key ? ' with this become' : ''} use a channel each from now on`);
  }

  #shell(key: string, become: BecomeSpec | undefined): Promise<RemoteShell | undefined> {
    let p = this.#shells.get(key);
    if (p === undefined) {
      p = this.#start(key, become);
      this.#shells.set(key, p);
    }
    return p;
  }

  async #start(key: string, become: BecomeSpec | undefined): Promise<RemoteShell | undefined> {
    const wrapped = wrapBecome('exec /bin/sh', become);
    // like the per-channel path: the login shell only ever sees `/bin/sh -c '...'` (or a bare exec)
    const command = become === undefined ? 'exec /bin/sh' : `/bin/sh -c ${quote(`exec ${wrapped.command}`)}`;
    if (this.deps.verbosity >= 3) this.deps.log(`<${this.deps.host}> SSH: START persistent shell: ${command}`);
    try {
      return await RemoteShell.start(await this.deps.open(command), wrapped, START_TIMEOUT_MS);
    } catch (e) {
      const lost = this.deps.lost();
      if (lost !== undefined) throw lost;
      if (e instanceof ShellStartError && become !== undefined) {
        // sudo refused (wrong or missing password): the task fails as it would per channel, and
        // the next command with this become tries again, like a fresh sudo would
        const refused = becomeFailure(become, e.gate, e.rc ?? 1, e.stderr);
        if (refused !== undefined) {
          this.#shells.delete(key);
          throw refused;
        }
      }
      this.#gone(key, `no persistent shell (${e instanceof Error ? e.message : String(e)})`);
      return undefined;
    }
  }

  close(): void {
    for (const p of this.#shells.values()) void p.then((s) => s?.close(), () => undefined);
  }
}

/** One shell per become identity; the password is part of it only as a hash (never kept as text here). */
function identity(b: BecomeSpec | undefined): string {
  if (b === undefined) return '';
  const pw = b.password === undefined ? '' : createHash('sha256').update(b.password.reveal()).digest('hex');
  return JSON.stringify([b.method, b.exe ?? '', b.flags ?? '', b.user, pw]);
}
