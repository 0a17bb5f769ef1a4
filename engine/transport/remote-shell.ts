import type { ExecResult } from '../types/connection.js';
import { BecomeGate, type WrappedCommand } from './become.js';
import { FrameRun, type ShellHooks, type ShellRequest } from './frame-run.js';

export type { ShellHooks, ShellRequest } from './frame-run.js';
import { EndScanner, buildFrame, newEndWord, parseReady, readyFrame, type ShellCaps } from './shell-frame.js';

/** The one channel a persistent shell lives on (an ssh2 exec channel, or a child process in tests). */
export interface ShellChannel {
  write(data: string | Buffer): void;
  onStdout(cb: (d: Buffer) => void): void;
  onStderr(cb: (d: Buffer) => void): void;
  /** Called once when the channel is gone, with the remote exit status when one came. */
  onClose(cb: (rc: number | undefined) => void): void;
  close(): void;
}

/** The shell could not start: its channel ended (rc, stderr) or it never said READY in time. */
export class ShellStartError extends Error {
  constructor(message: string, readonly rc: number | undefined, readonly stderr: string, readonly gate: BecomeGate) {
    super(message);
    this.name = 'ShellStartError';
  }
}

/**
 * One `/bin/sh` on the host reading framed commands (shell-frame.ts) from its stdin, one at a
 * time: a command costs a fork of that shell instead of an sshd session (fork, login shell,
 * exec). Once the channel closes the shell is dead for good; callers then use a channel per
 * command again.
 */
export class RemoteShell {
  #busy = false;
  #dead = false;
  /**
   * Output while no command runs comes from a background process a command left holding the
   * shell's stdout/stderr (`nohup daemon &` without redirection): it would be mixed into later
   * commands' output, so the shell is retired (a new one serves the next command).
   */
  readonly #idle = (): void => this.#retire();
  #onStdout: (d: Buffer) => void = this.#idle;
  #onStderr: (d: Buffer) => void = this.#idle;
  #onClose: () => void = () => undefined;
  /** True when the shell was closed for stray output (not a crash). */
  retired = false;

  private constructor(private readonly ch: ShellChannel, readonly caps: ShellCaps) {
    ch.onStdout((d) => this.#onStdout(d));
    ch.onStderr((d) => this.#onStderr(d));
    ch.onClose(() => {
      this.#dead = true;
      this.#onClose();
    });
  }

  get available(): boolean {
    return !this.#busy && !this.#dead;
  }

  get dead(): boolean {
    return this.#dead;
  }

  close(): void {
    this.#dead = true;
    this.ch.close();
  }

  #retire(): void {
    if (this.#dead) return;
    this.retired = true;
    this.close();
  }

  /**
   * Starts the shell on an open channel that runs `wrapped` (plain `exec /bin/sh`, or sudo around
   * it): answers sudo's prompt through the BecomeGate, then sends the READY frame only once
   * privileges are gained, so no frame is ever typed into a password prompt.
   */
  static start(ch: ShellChannel, wrapped: WrappedCommand, timeoutMs: number): Promise<RemoteShell> {
    return new Promise((resolve, reject) => {
      const end = newEndWord();
      const out = new EndScanner(end);
      const err: Buffer[] = [];
      let sent = false;
      let settled = false;
      // the gate ends stdin once privileges are gained (no stdin here: the shell reads frames
      // from it) and when sudo asks again after a wrong password: then the start fails at once
      const gate = new BecomeGate(wrapped, { write: (d) => ch.write(d), end: () => (gate.wrongPassword ? ch.close() : undefined) }, undefined);
      const fail = (msg: string, rc: number | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ch.close();
        reject(new ShellStartError(msg, rc, Buffer.concat(err).toString('utf8'), gate));
      };
      const timer = setTimeout(() => fail(`no READY from the shell within ${timeoutMs} ms`, undefined), timeoutMs);
      const sendReady = (): void => {
        if (sent || (wrapped.successMarker !== undefined && !gate.commandStarted)) return;
        sent = true;
        ch.write(readyFrame(end));
      };
      ch.onStderr((d) => {
        if (!settled) err.push(gate.onStderr(d));
      });
      ch.onClose((rc) => fail(`the shell exited before it was ready (rc ${rc ?? 'unknown'})`, rc));
      ch.onStdout((d) => {
        if (settled) return;
        const rest = gate.onStdout(d);
        sendReady();
        if (!out.push(rest)) return;
        settled = true;
        clearTimeout(timer);
        resolve(new RemoteShell(ch, parseReady(out.tail)));
      });
      gate.start();
      sendReady();
    });
  }

  /** Runs one command; the caller checks `available` first (one command at a time). */
  run(req: ShellRequest, hooks: ShellHooks): Promise<ExecResult> {
    if (!this.available) throw new Error('internal: the persistent shell is busy or dead');
    this.#busy = true;
    const frame = buildFrame(req.command, req.stdin, this.caps);
    return new Promise<ExecResult>((resolve, reject) => {
      const owner = { ended: (stray: boolean) => this.#frameEnded(stray), giveUp: () => this.close() };
      const r = new FrameRun(frame.end, req, hooks, owner, resolve, reject);
      this.#onStdout = (d) => r.onStdout(d);
      this.#onStderr = (d) => r.onStderr(d);
      this.#onClose = () => r.onClose();
      if (r.begin()) this.ch.write(frame.text);
    });
  }

  #frameEnded(stray: boolean): void {
    this.#busy = false;
    this.#onStdout = this.#onStderr = this.#idle;
    this.#onClose = () => undefined;
    if (stray) this.#retire();
  }
}
