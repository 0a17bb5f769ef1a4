import { CancelledError } from '../errors/index.js';
import type { ExecResult } from '../types/connection.js';
import { PidReader } from './remote-pid.js';
import { EndScanner } from './shell-frame.js';
import { abortReason, pidWithin } from './ssh-exec.js';

/** What one framed command needs: the shell text (cwd/env already folded in), payload, limits. */
export interface ShellRequest {
  readonly command: string;
  readonly stdin?: Buffer | string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface ShellHooks {
  /** Stops the process tree of the command's subshell (on a channel of its own: this one is busy). */
  killTree(pid: number): Promise<void>;
  /** The error for a shell whose connection is gone; undefined while the connection lives. */
  lost(): Error | undefined;
}

/** How long a cancelled command's subshell may take to end before the shell is given up. */
const DRAIN_MS = 5000;

/** What a frame tells its shell: the frame ended (stray: output after the end line), or give up. */
export interface FrameOwner {
  ended(stray: boolean): void;
  giveUp(): void;
}

/**
 * One framed command on a persistent shell (the counterpart of ssh-exec.ts's collectChannel):
 * stdout and stderr up to the frame's end word, the exit status, the PID announcement, and a
 * timeout or abort that kills the subshell's tree, answers at once and keeps the shell busy
 * until the frame ends (or gives the shell up after DRAIN_MS).
 */
export class FrameRun {
  readonly #out: EndScanner;
  readonly #err: EndScanner;
  readonly #reader: PidReader;
  readonly #known: Promise<number>;
  #answered = false;
  #ended = false;
  #timer: NodeJS.Timeout | undefined;
  #drain: NodeJS.Timeout | undefined;
  readonly #onAbort = (): void => void this.#stop(() => this.reject(new CancelledError(abortReason(this.req.signal))));

  constructor(
    end: string,
    private readonly req: ShellRequest,
    private readonly hooks: ShellHooks,
    private readonly owner: FrameOwner,
    private readonly resolve: (r: ExecResult) => void,
    private readonly reject: (e: unknown) => void,
  ) {
    this.#out = new EndScanner(end);
    this.#err = new EndScanner(end);
    let pidKnown: (pid: number) => void = () => undefined;
    this.#known = new Promise<number>((r) => (pidKnown = r));
    this.#reader = new PidReader((pid) => pidKnown(pid));
  }

  /** Arms the timeout and the abort; false when the request is already aborted (nothing to send). */
  begin(): boolean {
    if (this.req.signal?.aborted === true) {
      // nothing was sent: the shell is free at once and nothing runs on the host
      this.#ended = this.#answered = true;
      this.owner.ended(false);
      this.reject(new CancelledError(abortReason(this.req.signal)));
      return false;
    }
    if (this.req.timeoutMs !== undefined) this.#timer = setTimeout(() => this.#onTimeout(), this.req.timeoutMs);
    this.req.signal?.addEventListener('abort', this.#onAbort, { once: true });
    return true;
  }

  onStdout(d: Buffer): void {
    this.#out.push(d);
    this.#complete();
  }

  onStderr(d: Buffer): void {
    this.#err.push(this.#reader.onStderr(d));
    this.#complete();
  }

  /** The shell's channel closed under the command. */
  onClose(): void {
    this.#end();
    if (!this.#answer()) return;
    const lost = this.hooks.lost();
    if (lost !== undefined) return this.reject(lost);
    // the connection lives but the shell is gone: the command's outcome is unknown
    this.resolve(this.#result(255, 'tsplay: the persistent shell on the host ended while the command ran; its outcome is unknown\n'));
  }

  #result(rc: number, note = ''): ExecResult {
    return { rc, stdout: this.#out.body.toString('utf8'), stderr: `${Buffer.concat([this.#err.body, this.#reader.flush()]).toString('utf8')}${note}` };
  }

  #complete(): void {
    if (!this.#out.done || !this.#err.done) return;
    this.#end();
    if (!this.#answer()) return;
    const rc = Number(this.#out.tail.trim());
    this.resolve(this.#result(Number.isInteger(rc) ? rc : 255));
  }

  /** The frame is over (its end word came, or the shell is gone): the shell is free again. */
  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#drain);
    this.owner.ended(this.#out.extra > 0 || this.#err.extra > 0);
  }

  /** True the first time: this caller answers the request. */
  #answer(): boolean {
    if (this.#answered) return false;
    this.#answered = true;
    clearTimeout(this.#timer);
    this.req.signal?.removeEventListener('abort', this.#onAbort);
    return true;
  }

  #onTimeout(): void {
    void this.#stop(() => this.resolve(this.#result(137, `command timed out after ${this.req.timeoutMs} ms\n`)));
  }

  async #stop(answer: () => void): Promise<void> {
    if (!this.#answer()) return;
    const pid = await pidWithin(this.#reader, this.#known, 2000);
    if (pid !== undefined) await this.hooks.killTree(pid).catch(() => undefined);
    answer();
    if (!this.#ended) this.#drain = setTimeout(() => this.owner.giveUp(), DRAIN_MS);
  }
}
