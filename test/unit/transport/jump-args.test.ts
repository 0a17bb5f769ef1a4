import { describe, expect, it } from 'vitest';
import { parseJumpHost, parseSshArgs, splitShellWords } from '../../../engine/transport/jump-args.js';

describe('shell word splitting', () => {
  it.each([
    ['-o A=1 -J x', ['-o', 'A=1', '-J', 'x']],
    [`-o ProxyCommand="ssh -W %h:%p b"`, ['-o', 'ProxyCommand=ssh -W %h:%p b']],
    [`-o 'UserKnownHostsFile /dev/null'`, ['-o', 'UserKnownHostsFile /dev/null']],
    [`a\\ b ""`, ['a b', '']],
  ])('%s', (text, words) => {
    expect(splitShellWords(text)).toEqual(words);
  });
  it('refuses an unterminated quote', () => {
    expect(() => splitShellWords(`-o "x`)).toThrow(/unterminated/);
  });
});

describe('jump hosts', () => {
  it.each([
    ['bastion', { user: undefined, host: 'bastion', port: 22 }],
    ['ops@bastion:2222', { user: 'ops', host: 'bastion', port: 2222 }],
    ['ssh://ops@10.0.0.1:2200', { user: 'ops', host: '10.0.0.1', port: 2200 }],
    ['me@[fd00::1]:22', { user: 'me', host: 'fd00::1', port: 22 }],
    ['a@b@host', { user: 'a@b', host: 'host', port: 22 }],
  ])('%s', (spec, want) => {
    expect(parseJumpHost(spec)).toEqual(want);
  });

  it.each([
    ['-J ops@bastion:2222', ['bastion:2222']],
    ['-Jops@bastion', ['bastion:22']],
    ['-o ProxyJump=a,b:2200', ['a:22', 'b:2200']],
    ['-o "ProxyJump a"', ['a:22']],
    ['-oProxyJump=a', ['a:22']],
    ['-o ProxyJump=none', []],
  ])('%s → %j', (args, hops) => {
    expect(parseSshArgs(args).jumps.map((j) => `${j.host}:${j.port}`)).toEqual(hops);
  });

  it('reads common args before extra args (extra wins)', () => {
    expect(parseSshArgs('-J a', '-J b').jumps.map((j) => j.host)).toEqual(['b']);
  });
});

describe('other options', () => {
  it('understands the options kubespray inventories use, and lists the rest as ignored', () => {
    const a = parseSshArgs('-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ServerAliveInterval=30 -o ConnectTimeout=5 -i /k/id -o ControlMaster=auto -C');
    expect(a).toMatchObject({ strictHostKeyChecking: 'off', userKnownHostsFile: '/dev/null', serverAliveIntervalSec: 30, connectTimeoutSec: 5, identityFile: '/k/id' });
    expect(a.ignored).toEqual(['-o ControlMaster=auto', '-C']);
  });

  it.each([
    ['yes', 'strict'],
    ['accept-new', 'accept-new'],
    ['no', 'off'],
    ['off', 'off'],
  ])('StrictHostKeyChecking=%s → %s', (v, mode) => {
    expect(parseSshArgs(`-o StrictHostKeyChecking=${v}`).strictHostKeyChecking).toBe(mode);
  });

  it('refuses ProxyCommand with a hint towards -J', () => {
    let err: unknown;
    try {
      parseSshArgs(`-o ProxyCommand="ssh -W %h:%p -q user@bastion"`);
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(/ProxyCommand is not supported/);
    expect((err as { hint?: string }).hint).toMatch(/-J user@bastion:port/);
  });
});
