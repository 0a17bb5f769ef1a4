import { randomBytes } from 'node:crypto';
import type { BecomeSpec } from '../types/connection.js';
import { quote } from './shell.js';

export interface WrappedCommand {
  readonly command: string;
  /** Bytes to send before the caller's own stdin (the password line), or undefined. */
  readonly stdinPrefix?: string;
  /** The prompt sudo prints; transports strip it from stderr. */
  readonly prompt?: string;
}

/**
 * Wraps a shell command for privilege escalation. The password goes on stdin (sudo -S with a
 * unique prompt), never into argv, so it cannot show in `ps` or in logs.
 */
export function wrapBecome(command: string, spec: BecomeSpec | undefined): WrappedCommand {
  if (spec === undefined) return { command };
  const inner = `/bin/sh -c ${quote(command)}`;
  if (spec.method === 'sudo') {
    const exe = spec.exe ?? 'sudo';
    const flags = spec.flags ?? '-H -S -n';
    if (spec.password === undefined) {
      return { command: `${exe} ${flags} -u ${quote(spec.user)} ${inner}` };
    }
    const prompt = `[sudo via tsplay, key=${randomBytes(8).toString('hex')}] password:`;
    // -n would refuse to ask; drop it when a password is given, like ansible's become plugin.
    const pwFlags = flags.split(/\s+/).filter((f) => f !== '-n').join(' ');
    return {
      command: `${exe} ${pwFlags} -p ${quote(prompt)} -u ${quote(spec.user)} ${inner}`,
      stdinPrefix: `${spec.password.reveal()}\n`,
      prompt,
    };
  }
  const exe = spec.exe ?? 'su';
  const flags = spec.flags ?? '';
  return {
    command: `${exe} ${flags} ${quote(spec.user)} -c ${quote(command)}`.replace(/\s+/g, ' '),
    stdinPrefix: spec.password === undefined ? undefined : `${spec.password.reveal()}\n`,
  };
}
