import { randomBytes } from 'node:crypto';
import { TsplayError, type TsplayErrorInit } from '../errors/index.js';
import type { BecomeSpec } from '../types/connection.js';
import { quote } from './shell.js';

export interface WrappedCommand {
  readonly command: string;
  /** Bytes to send before the caller's own stdin (the password line), or undefined. */
  readonly stdinPrefix?: string;
  /** The prompt sudo prints; transports strip it from stderr. */
  readonly prompt?: string;
  /**
   * Printed on stdout by the wrapped shell once privileges are gained. Until it shows, the
   * caller's stdin is held back, so a password is only ever typed into sudo's prompt and never
   * leaks into the command when sudo did not ask for it (NOPASSWD, cached credentials).
   */
  readonly successMarker?: string;
}

/** sudo/su refused: a missing or wrong become password. A task failure, not an unreachable host. */
export class BecomeError extends TsplayError {
  constructor(message: string, init: TsplayErrorInit = {}) {
    super('become', message, init);
    this.name = 'BecomeError';
  }
}

/**
 * Wraps a shell command for privilege escalation. The password goes on stdin (sudo -S with a
 * unique prompt), never into argv, so it cannot show in `ps` or in logs.
 */
export function wrapBecome(command: string, spec: BecomeSpec | undefined): WrappedCommand {
  if (spec === undefined) return { command };
  if (spec.method === 'sudo') {
    const exe = spec.exe ?? 'sudo';
    const flags = spec.flags ?? '-H -S -n';
    if (spec.password === undefined) {
      return { command: `${exe} ${flags} -u ${quote(spec.user)} /bin/sh -c ${quote(command)}` };
    }
    const key = randomBytes(8).toString('hex');
    const prompt = `[sudo via tsplay, key=${key}] password:`;
    const successMarker = `BECOME-SUCCESS-${key}`;
    // -n would refuse to ask; drop it when a password is given, like ansible's become plugin.
    const pwFlags = flags.split(/\s+/).filter((f) => f !== '-n').join(' ');
    const inner = `/bin/sh -c ${quote(`echo ${successMarker}; ${command}`)}`;
    return {
      command: `${exe} ${pwFlags} -p ${quote(prompt)} -u ${quote(spec.user)} ${inner}`,
      stdinPrefix: `${spec.password.reveal()}\n`,
      prompt,
      successMarker,
    };
  }
  const exe = spec.exe ?? 'su';
  const flags = spec.flags ?? '';
  return {
    command: `${exe} ${flags} ${quote(spec.user)} -c ${quote(command)}`.replace(/\s+/g, ' '),
    stdinPrefix: spec.password === undefined ? undefined : `${spec.password.reveal()}\n`,
  };
}

interface StdinSink {
  write(data: Buffer | string): void;
  end(): void;
}

/**
 * Drives stdin of one wrapped command: answers sudo's prompt once with the password, then
 * passes the caller's stdin when the success marker shows. Filters prompt and marker from
 * the output. Used by every transport so become behaves the same locally and over ssh.
 */
export class BecomeGate {
  #head: Buffer = Buffer.alloc(0);
  #released = false;
  #prompts = 0;
  #stderrTail = '';

  constructor(
    private readonly wrapped: WrappedCommand,
    private readonly sink: StdinSink,
    private readonly stdin: Buffer | string | undefined,
  ) {}

  start(): void {
    if (this.wrapped.successMarker !== undefined) return;
    if (this.wrapped.stdinPrefix) this.sink.write(this.wrapped.stdinPrefix);
    this.release();
  }

  /** True once the success marker showed: privileges were gained and the command ran. */
  get commandStarted(): boolean {
    return this.wrapped.successMarker !== undefined && this.#released;
  }

  /** True when sudo asked a second time: the password given was wrong. */
  get wrongPassword(): boolean {
    return this.#prompts > 1;
  }

  onStdout(chunk: Buffer): Buffer {
    const marker = this.wrapped.successMarker;
    if (marker === undefined || this.#released) return chunk;
    this.#head = Buffer.concat([this.#head, chunk]);
    const text = this.#head.toString('latin1');
    const expected = `${marker}\n`;
    if (text.length < expected.length && expected.startsWith(text)) return Buffer.alloc(0);
    const rest = text.startsWith(expected) ? this.#head.subarray(expected.length) : this.#head;
    this.#head = Buffer.alloc(0);
    this.release();
    return rest;
  }

  onStderr(chunk: Buffer): Buffer {
    const prompt = this.wrapped.prompt;
    if (prompt === undefined) return chunk;
    // The prompt may arrive split across chunks: look at the tail of the previous one too.
    const seen = this.#stderrTail + chunk.toString('utf8');
    const count = seen.split(prompt).length - 1;
    this.#stderrTail = seen.slice(-prompt.length);
    if (count > 0) this.#stderrTail = '';
    for (let i = 0; i < count; i++) this.answerPrompt();
    return Buffer.from(chunk.toString('utf8').split(prompt).join(''));
  }

  private answerPrompt(): void {
    this.#prompts++;
    if (this.#prompts === 1 && this.wrapped.stdinPrefix) this.sink.write(this.wrapped.stdinPrefix);
    else this.sink.end(); // asked again: the password was wrong; EOF makes sudo give up now
  }

  private release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.stdin !== undefined) this.sink.write(this.stdin);
    this.sink.end();
  }
}

/**
 * Recognises sudo refusing to run, so the user gets Ansible-like words instead of a bare rc=1.
 * Returns undefined when the command itself ran (whatever its rc).
 */
export function becomeFailure(spec: BecomeSpec | undefined, gate: BecomeGate, rc: number, stderr: string): BecomeError | undefined {
  if (spec === undefined || spec.method !== 'sudo' || rc === 0 || gate.commandStarted) return undefined;
  if (gate.wrongPassword || /incorrect password attempt|Sorry, try again/.test(stderr)) {
    return new BecomeError(`Incorrect sudo password (become_user ${spec.user})`, {
      hint: 'check ansible_become_password (or --ask-become-pass)',
    });
  }
  if (/sudo: (a password is required|a terminal is required)/.test(stderr)) {
    return new BecomeError(`Missing sudo password: sudo needs a password to become ${spec.user}`, {
      hint: 'set ansible_become_password (or run with --ask-become-pass), or allow NOPASSWD in sudoers',
    });
  }
  if (/is not in the sudoers file|is not allowed to execute/.test(stderr)) {
    return new BecomeError(`sudo refused: ${stderr.trim().split('\n').pop()}`);
  }
  return undefined;
}
