import { describe, expect, it } from 'vitest';
import { BecomeGate, becomeFailure, wrapBecome } from '../../../engine/transport/become.js';
import { Secret } from '../../../engine/types/secret.js';

function harness(stdin?: string) {
  const spec = { method: 'sudo' as const, user: 'bob', password: new Secret('pw1234') };
  const wrapped = wrapBecome('id -un', spec);
  const written: string[] = [];
  let ended = false;
  const gate = new BecomeGate(wrapped, { write: (d) => written.push(String(d)), end: () => (ended = true) }, stdin);
  gate.start();
  return { spec, wrapped, gate, written, ended: () => ended };
}

describe('wrapBecome', () => {
  it('never puts the password in the command line', () => {
    const w = wrapBecome('id', { method: 'sudo', user: 'bob', password: new Secret('pw1234') });
    expect(w.command).not.toContain('pw1234');
    expect(w.command).toMatch(/^sudo -H -S -p '\[sudo via tsplay, key=[0-9a-f]{16}\] password:' -u bob \/bin\/sh -c 'echo BECOME-SUCCESS-[0-9a-f]{16}; id'$/);
  });
  it('uses -n without a password', () => {
    expect(wrapBecome('id', { method: 'sudo', user: 'root' }).command).toBe(`sudo -H -S -n -u root /bin/sh -c id`);
  });
});

describe('BecomeGate', () => {
  it('answers the prompt once, then releases stdin after the success marker', () => {
    const h = harness('data');
    expect(h.written).toEqual([]);
    expect(h.gate.onStderr(Buffer.from(h.wrapped.prompt as string)).toString()).toBe('');
    expect(h.written).toEqual(['pw1234\n']);
    const out = h.gate.onStdout(Buffer.from(`${h.wrapped.successMarker}\nbob\n`));
    expect(out.toString()).toBe('bob\n');
    expect(h.written).toEqual(['pw1234\n', 'data']);
    expect(h.ended()).toBe(true);
    expect(h.gate.commandStarted).toBe(true);
  });

  it('finds a prompt split across chunks and a marker split across chunks', () => {
    const h = harness();
    const p = h.wrapped.prompt as string;
    h.gate.onStderr(Buffer.from(p.slice(0, 10)));
    h.gate.onStderr(Buffer.from(p.slice(10)));
    expect(h.written).toEqual(['pw1234\n']);
    const m = `${h.wrapped.successMarker}\n`;
    expect(h.gate.onStdout(Buffer.from(m.slice(0, 5))).length).toBe(0);
    expect(h.gate.onStdout(Buffer.from(`${m.slice(5)}out`)).toString()).toBe('out');
  });

  it('a second prompt means a wrong password: stdin is closed and the failure says so', () => {
    const h = harness();
    const p = h.wrapped.prompt as string;
    h.gate.onStderr(Buffer.from(`${p}Sorry, try again.\n${p}`));
    expect(h.ended()).toBe(true);
    expect(becomeFailure(h.spec, h.gate, 1, 'sudo: 1 incorrect password attempt')?.message).toBe('Incorrect sudo password (become_user bob)');
  });

  it('reports a missing password from sudo -n', () => {
    const spec = { method: 'sudo' as const, user: 'bob' };
    const gate = new BecomeGate(wrapBecome('true', spec), { write: () => undefined, end: () => undefined }, undefined);
    expect(becomeFailure(spec, gate, 1, 'sudo: a password is required\n')?.message).toBe('Missing sudo password: sudo needs a password to become bob');
    expect(becomeFailure(spec, gate, 0, 'sudo: a password is required\n')).toBeUndefined();
  });
});
