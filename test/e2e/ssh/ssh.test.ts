import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, UnreachableError } from '../../../engine/errors/index.js';
import { spawnSync } from 'node:child_process';
import { isolatedEnv } from '../../fixtures/oracle/env.js';
import { BecomeError } from '../../../engine/transport/become.js';
import { createConnectionFactory } from '../../../engine/transport/connect.js';
import { hashHostName } from '../../../engine/transport/known-hosts.js';
import type { Connection, ConnectionParams } from '../../../engine/types/connection.js';
import { Secret } from '../../../engine/types/secret.js';
import { createUser, makeKey, startSshd, type KeyPair, type TestSshd, type TestUser } from '../../fixtures/sshd/sshd.js';

const run = promisify(execFile);
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
const PASSPHRASE = `pp-${randomBytes(6).toString('hex')}`;

let sshd: TestSshd;
let alice: TestUser; // login user with a password
let bob: TestUser; // become target that needs alice's password
let dir: string;
let goodKey: KeyPair;
let lockedKey: KeyPair;
let strangerKey: KeyPair;
let sudoers: string;
const open: Connection[] = [];

const factory = createConnectionFactory({ env: {} });

function params(over: Partial<ConnectionParams> = {}): ConnectionParams {
  return {
    inventoryHostname: 'node1',
    connection: 'ssh',
    host: '127.0.0.1',
    port: sshd.port,
    user: alice.name,
    privateKeyFile: goodKey.privateFile,
    timeoutSec: 10,
    retries: 0,
    hostKeyChecking: 'strict',
    knownHostsFile: sshd.knownHostsFile,
    ...over,
  };
}

async function connect(over: Partial<ConnectionParams> = {}, f = factory): Promise<Connection> {
  const c = await f.connect(params(over));
  open.push(c);
  return c;
}

async function unreachable(over: Partial<ConnectionParams>): Promise<UnreachableError> {
  const err = await connect(over).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnreachableError);
  return err as UnreachableError;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsplay-ssh-e2e-'));
  [sshd, alice, bob, goodKey, lockedKey, strangerKey] = await Promise.all([
    startSshd(),
    createUser('tspa', PASSWORD),
    createUser('tspb'),
    makeKey(dir, 'good'),
    makeKey(dir, 'locked', PASSPHRASE),
    makeKey(dir, 'stranger'),
  ]);
  await sshd.authorize(alice.name, goodKey.publicKey);
  await sshd.authorize(alice.name, lockedKey.publicKey);
  sudoers = `/etc/sudoers.d/tsplay-e2e-${alice.name}`;
  await writeFile(sudoers, `${alice.name} ALL=(${bob.name}) ALL\n${alice.name} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.close().catch(() => undefined)));
  await rm(sudoers, { force: true });
  await sshd?.stop();
  await Promise.all([alice?.remove(), bob?.remove()]);
  await rm(dir, { recursive: true, force: true });
});

describe('authentication', () => {
  it('logs in with a private key file', async () => {
    const c = await connect();
    expect(await c.exec({ command: 'id -un' })).toEqual({ rc: 0, stdout: `${alice.name}\n`, stderr: '' });
  });

  it('logs in with a password', async () => {
    const c = await connect({ privateKeyFile: undefined, password: new Secret(PASSWORD) });
    expect((await c.exec({ command: 'id -un' })).stdout).toBe(`${alice.name}\n`);
  });

  it('logs in with an encrypted key and its passphrase', async () => {
    const c = await connect({ privateKeyFile: lockedKey.privateFile, privateKeyPassphrase: new Secret(PASSPHRASE) });
    expect((await c.exec({ command: 'id -un' })).stdout).toBe(`${alice.name}\n`);
  });

  it('says an encrypted key needs its passphrase', async () => {
    const err = await unreachable({ privateKeyFile: lockedKey.privateFile });
    expect(err.message).toMatch(/is encrypted and no passphrase was given/);
  });

  it('logs in through ssh-agent', async () => {
    const sock = join(dir, 'agent.sock');
    const { stdout } = await run('ssh-agent', ['-s', '-a', sock]);
    const agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(stdout)?.[1]);
    try {
      await run('ssh-add', [goodKey.privateFile], { env: { SSH_AUTH_SOCK: sock } });
      const withAgent = createConnectionFactory({ env: { SSH_AUTH_SOCK: sock } });
      const c = await connect({ privateKeyFile: undefined }, withAgent);
      expect((await c.exec({ command: 'id -un' })).stdout).toBe(`${alice.name}\n`);
    } finally {
      process.kill(agentPid, 'SIGTERM');
    }
  });

  it('makes a wrong key unreachable and names user, host, port and methods tried', async () => {
    const err = await unreachable({ privateKeyFile: strangerKey.privateFile });
    expect(err.message).toBe(
      `Failed to connect to the host via ssh: ${alice.name}@127.0.0.1:${sshd.port}: Permission denied (tried: publickey (${strangerKey.privateFile}))`,
    );
  });

  it('retries a refused connection with backoff, but never an auth failure', async () => {
    const lines: string[] = [];
    const f = createConnectionFactory({ env: {}, log: (l) => lines.push(l) });
    const err = await f.connect(params({ port: 1, retries: 1 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(lines).toEqual(['<127.0.0.1> ssh: attempt 1 failed (connect to host 127.0.0.1 port 1: Connection refused), retrying in 1s']);
    const t0 = performance.now();
    await f.connect(params({ privateKeyFile: strangerKey.privateFile, retries: 3 })).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(900);
    expect(lines).toHaveLength(1);
  });

  it('reports a closed port as connection refused', async () => {
    const err = await unreachable({ port: 1 });
    expect(err.message).toBe(`Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused`);
  });
});

describe('host keys', () => {
  const otherKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGjW5X428l9BnGYwbmcdQuQrQSeDQYjH/zmhTFfYNN8Y';

  it.each(['strict', 'accept-new', 'off'] as const)('refuses a changed key (mode %s) unless checking is off', async (mode) => {
    const file = join(dir, `changed-${mode}`);
    await writeFile(file, `[127.0.0.1]:${sshd.port} ${otherKey}\n`);
    if (mode === 'off') {
      const c = await connect({ knownHostsFile: file, hostKeyChecking: mode });
      expect((await c.exec({ command: 'true' })).rc).toBe(0);
      return;
    }
    const err = await unreachable({ knownHostsFile: file, hostKeyChecking: mode });
    expect(err.message).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED for \[127\.0\.0\.1\]:\d+/);
    expect(err.message).toContain(`ssh-keygen -f ${file} -R`);
  });

  it('refuses an unknown host in strict mode and says how to fix it', async () => {
    const err = await unreachable({ knownHostsFile: join(dir, 'empty_known_hosts') });
    expect(err.message).toMatch(/is not in .*empty_known_hosts/);
    expect(err.message).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1`);
    expect(err.message).toContain('host_key_checking = False');
  });

  it('records a new host in accept-new mode', async () => {
    const file = join(dir, 'accept_new_known_hosts');
    await connect({ knownHostsFile: file, hostKeyChecking: 'accept-new' });
    expect(await readFile(file, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`);
    await connect({ knownHostsFile: file, hostKeyChecking: 'strict' }); // and it is trusted now
  });

  it('accepts a hashed known_hosts entry', async () => {
    const file = join(dir, 'hashed_known_hosts');
    await writeFile(file, `${hashHostName(`[127.0.0.1]:${sshd.port}`, randomBytes(20))} ${sshd.hostKey}\n`);
    const c = await connect({ knownHostsFile: file });
    expect((await c.exec({ command: 'echo ok' })).stdout).toBe('ok\n');
  });

  it('refuses a key marked @revoked', async () => {
    const file = join(dir, 'revoked_known_hosts');
    await writeFile(file, `@revoked [127.0.0.1]:${sshd.port} ${sshd.hostKey}\n[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`);
    const err = await unreachable({ knownHostsFile: file });
    expect(err.message).toMatch(/marked @revoked/);
  });
});

describe('connection factory', () => {
  it('gives LocalConnection for connection=local', async () => {
    const c = await connect({ connection: 'local' });
    expect(c.constructor.name).toBe('LocalConnection');
    expect((await c.exec({ command: 'echo local' })).stdout).toBe('local\n');
  });
});

describe('ssh args', () => {
  it('reaches the host through a jump host (-J) with ssh2 forwardOut', async () => {
    const c = await connect({ commonArgs: `-J ${alice.name}@127.0.0.1:${sshd.port}` });
    const r = await c.exec({ command: 'echo "$SSH_CLIENT"' });
    expect(r.stdout).toMatch(/^127\.0\.0\.1 \d+ \d+\n$/);
  });

  it('refuses ProxyCommand with a hint to use -J', async () => {
    const err = await unreachable({ commonArgs: `-o ProxyCommand="ssh -W %h:%p bastion"` });
    expect(err.message).toMatch(/ProxyCommand is not supported/);
    expect(err.hint).toMatch(/-J user@bastion:port/);
  });
});

describe('commands', () => {
  it('passes cwd, env and stdin and reports rc and stderr', async () => {
    const c = await connect();
    const r = await c.exec({ command: 'pwd; echo "$GREETING"; cat; echo oops >&2; exit 3', cwd: '/tmp', env: { GREETING: "it's me" }, stdin: 'from stdin\n' });
    expect(r).toEqual({ rc: 3, stdout: "/tmp\nit's me\nfrom stdin\n", stderr: 'oops\n' });
  });

  it('kills a command that runs past its timeout', async () => {
    const c = await connect();
    const r = await c.exec({ command: 'sleep 5', timeoutMs: 200 });
    expect(r.rc).toBe(137);
    expect(r.stderr).toMatch(/timed out after 200 ms/);
  });
});

describe('cancelling', () => {
  it.each([
    ['as the login user', undefined],
    ['through sudo with a password', 'bob'],
  ] as const)('an aborted command %s: CancelledError, and its whole process group is gone on the host', async (_n, becomeUser) => {
    const c = await connect();
    const tag = `tsplay-cancel-${randomBytes(4).toString('hex')}`;
    const become = becomeUser === undefined ? undefined : { method: 'sudo' as const, user: bob.name, password: new Secret(PASSWORD) };
    const ctl = new AbortController();
    const running = c.exec({ command: `sh -c 'sleep 41; echo ${tag}' & sleep 42; wait`, become, signal: ctl.signal });
    await new Promise((r) => setTimeout(r, 700));
    ctl.abort(new Error('stop now'));
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as Error).message).toBe('stop now');
    const left = await run('pgrep', ['-f', '^sleep 4[12]$']).then((r) => r.stdout.trim(), () => '');
    expect(left).toBe('');
  });
});

describe('the CLI against this sshd', () => {
  it('-K asks for the become password once (stdin here) and uses it for every host, never echoing it', async () => {
    const inv = join(dir, 'k-inventory');
    await writeFile(inv, `node1 ansible_host=127.0.0.1 ansible_port=${sshd.port} ansible_user=${alice.name} ansible_ssh_private_key_file=${goodKey.privateFile} ansible_ssh_common_args='-o UserKnownHostsFile=${sshd.knownHostsFile}'\n`);
    const pb = join(dir, 'k.yml');
    await writeFile(pb, `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: id -un\n      register: who\n      become: true\n      become_user: ${bob.name}\n    - debug: var=who.stdout\n`);
    const root = join(__dirname, '..', '..', '..');
    const r = spawnSync(process.execPath, [join(root, 'bin', 'tsplay.js'), pb, '-i', inv, '-K', '-vvvv'], {
      input: `${PASSWORD}\n`, encoding: 'utf8', env: isolatedEnv({ NO_COLOR: '1' }), timeout: 60_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`"who.stdout": "${bob.name}"`);
    expect(r.stderr).toContain('BECOME password: ');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });
});

describe('become', () => {
  it('becomes a non-root user with a password fed on stdin', async () => {
    const c = await connect();
    const r = await c.exec({ command: 'id -un; cat', stdin: 'payload', become: { method: 'sudo', user: bob.name, password: new Secret(PASSWORD) } });
    expect(r).toMatchObject({ rc: 0, stdout: `${bob.name}\npayload` });
    expect(r.stderr).not.toMatch(/password/);
  });

  it('does not leak the password into stdin when sudo does not ask (NOPASSWD)', async () => {
    const c = await connect();
    const r = await c.exec({ command: 'id -un; cat', stdin: 'only this', become: { method: 'sudo', user: 'root', password: new Secret(PASSWORD) } });
    expect(r.stdout).toBe('root\nonly this');
  });

  it('says when sudo needs a password that was not given', async () => {
    const c = await connect();
    const err = await c.exec({ command: 'true', become: { method: 'sudo', user: bob.name } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BecomeError);
    expect((err as BecomeError).message).toBe(`Missing sudo password: sudo needs a password to become ${bob.name}`);
  });

  it('says when the sudo password is wrong', async () => {
    const c = await connect();
    const err = await c.exec({ command: 'true', become: { method: 'sudo', user: bob.name, password: new Secret('nope-wrong') } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BecomeError);
    expect((err as BecomeError).message).toMatch(/^Incorrect sudo password/);
  });
});

describe('transfers and channels', () => {
  let c: Connection;
  beforeAll(async () => {
    c = await connect();
  });

  it('puts a 50 MB file intact with its mode, and gets it back', async () => {
    const data = randomBytes(50 * 1024 * 1024);
    const path = `${alice.home}/big.bin`;
    const t0 = performance.now();
    await c.putFile(path, data, 0o640);
    const putMs = performance.now() - t0;
    const r = await c.exec({ command: `sha256sum ${path} | cut -d' ' -f1; stat -c %a ${path}` });
    expect(r.stdout).toBe(`${createHash('sha256').update(data).digest('hex')}\n640\n`);
    const back = await c.getFile(path);
    expect(back.equals(data)).toBe(true);
    console.log(`putFile 50 MB: ${putMs.toFixed(0)} ms`);
  });

  it('runs 200 sequential and 50 parallel commands on one connection (SFTP session open too)', async () => {
    for (let i = 0; i < 200; i++) expect((await c.exec({ command: `echo ${i}` })).stdout).toBe(`${i}\n`);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => c.exec({ command: `echo ${i}` })));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 50 }, (_, i) => `${i}\n`));
  });

  it('measures per-command latency of `true`', async () => {
    await c.exec({ command: 'true' });
    const n = 100;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await c.exec({ command: 'true' });
    const each = (performance.now() - t0) / n;
    console.log(`ssh exec latency: ${each.toFixed(2)} ms per \`true\` (${n} sequential, one connection)`);
    expect(each).toBeLessThan(100);
  });
});

describe('a server with a lower MaxSessions', () => {
  it('queues and adapts instead of failing: 30 parallel commands with MaxSessions 3', async () => {
    const strict = await startSshd('MaxSessions 3');
    try {
      await strict.authorize(alice.name, goodKey.publicKey);
      const c = await connect({ port: strict.port, knownHostsFile: strict.knownHostsFile });
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => c.exec({ command: `echo ${i}` })));
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 30 }, (_, i) => `${i}\n`));
      await c.putFile(`${alice.home}/small.txt`, Buffer.from('hi'));
      expect((await c.exec({ command: `cat ${alice.home}/small.txt` })).stdout).toBe('hi');
      await c.close();
    } finally {
      await strict.stop();
    }
  });
});

describe('dropped connections', () => {
  it('makes the running and the next command unreachable when the session sshd dies', async () => {
    const before = new Set(await sshd.connectionPids());
    const c = await connect();
    const mine = (await sshd.connectionPids()).filter((p) => !before.has(p));
    expect(mine).toHaveLength(1);
    const running = c.exec({ command: 'sleep 5' }).catch((e: unknown) => e);
    await c.exec({ command: 'true' });
    await sshd.killConnection(mine[0]);
    expect(await running).toBeInstanceOf(UnreachableError);
    const next = await c.exec({ command: 'true' }).catch((e: unknown) => e);
    expect(next).toBeInstanceOf(UnreachableError);
    expect((next as Error).message).toMatch(new RegExp(`^Failed to connect to the host via ssh: ${alice.name}@127\\.0\\.0\\.1:\\d+: connection lost`));
  });
});

describe('logs at -vvvv', () => {
  it('never show the password, passphrase or become password', async () => {
    const lines: string[] = [];
    const loud = createConnectionFactory({ env: {}, verbosity: 4, log: (l) => lines.push(l) });
    const c = await connect({ privateKeyFile: lockedKey.privateFile, privateKeyPassphrase: new Secret(PASSPHRASE) }, loud);
    await c.exec({ command: 'true', become: { method: 'sudo', user: bob.name, password: new Secret(PASSWORD) } });
    const p = await connect({ privateKeyFile: undefined, password: new Secret(PASSWORD) }, loud);
    await p.exec({ command: `echo ${PASSWORD} >/dev/null` });
    const all = lines.join('\n');
    expect(all).toContain('SSH: EXEC');
    expect(all).toContain('ssh2:');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(PASSPHRASE);
  });
});

describe('the persistent shell', () => {
  /** A connection whose login shell is up: it starts after connecting while commands take channels. */
  async function warmed(): Promise<Connection> {
    const c = await connect();
    for (let i = 0; i < 50; i++) {
      const [a, b] = [(await c.exec({ command: 'echo $PPID' })).stdout, (await c.exec({ command: 'echo $PPID' })).stdout];
      if (a === b) return c; // the same parent twice: one shell answers (a channel each has its own)
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the persistent shell never came up');
  }

  it('serves the login user: nothing leaks between commands, stdin and binary output pass', async () => {
    const c = await warmed();
    expect(await c.exec({ command: 'cd /tmp; export TSPLAY_X=1; umask 077; exit 4' })).toMatchObject({ rc: 4 });
    expect(await c.exec({ command: 'pwd; echo "${TSPLAY_X-unset}"; umask' })).toMatchObject({ rc: 0, stdout: `${alice.home}\nunset\n0022\n` });
    const bin = randomBytes(100_000);
    const r = await c.exec({ command: 'sha256sum | cut -d" " -f1', stdin: bin });
    expect(r.stdout.trim()).toBe(createHash('sha256').update(bin).digest('hex'));
    expect(await c.exec({ command: 'cat', cwd: '/', env: { A: "it's" }, stdin: 'text\n' })).toMatchObject({ rc: 0, stdout: 'text\n' });
  });

  it('becomes bob once through sudo with the password on stdin, then runs commands as bob without sudo', async () => {
    const c = await warmed();
    const become = { method: 'sudo' as const, user: bob.name, password: new Secret(PASSWORD) };
    const a = await c.exec({ command: 'id -un; echo $PPID; cat', stdin: 'in', become });
    const b = await c.exec({ command: 'id -un; echo $PPID', become });
    expect(a.stdout.split('\n')[0]).toBe(bob.name);
    expect(b.stdout.split('\n')[0]).toBe(bob.name);
    expect(a.stdout.endsWith('\nin')).toBe(true);
    expect(a.stdout.split('\n')[1]).toBe(b.stdout.split('\n')[1]); // the same shell answered both
    const ps = await run('ps', ['-u', bob.name, '-o', 'args=']);
    expect(ps.stdout).not.toContain(PASSWORD);
  });

  it('a timeout kills the command on the host and the shell answers the next one', async () => {
    const c = await warmed();
    const tag = `tsplay-ps-${randomBytes(4).toString('hex')}`;
    const r = await c.exec({ command: `sh -c 'sleep 43; echo ${tag}' & sleep 44; wait`, timeoutMs: 300 });
    expect(r.rc).toBe(137);
    await new Promise((res) => setTimeout(res, 1500));
    const left = await run('pgrep', ['-f', '^sleep 4[34]$']).then((x) => x.stdout.trim(), () => '');
    expect(left).toBe('');
    expect(await c.exec({ command: 'echo ok' })).toMatchObject({ rc: 0, stdout: 'ok\n' });
  });

  it('Ctrl-C during a command of the sudo shell: CancelledError, bob\'s processes are gone, the shell goes on', async () => {
    const c = await warmed();
    const become = { method: 'sudo' as const, user: bob.name, password: new Secret(PASSWORD) };
    expect((await c.exec({ command: 'id -un', become })).stdout).toBe(`${bob.name}\n`);
    const ctl = new AbortController();
    const running = c.exec({ command: `sh -c 'sleep 45' & sleep 46; wait`, become, signal: ctl.signal });
    await new Promise((r) => setTimeout(r, 700));
    ctl.abort(new Error('interrupted'));
    expect(await running.catch((e: unknown) => e)).toBeInstanceOf(CancelledError);
    await new Promise((r) => setTimeout(r, 1500));
    const left = await run('pgrep', ['-u', bob.name, '-f', '^sleep 4[56]$']).then((x) => x.stdout.trim(), () => '');
    expect(left).toBe('');
    expect((await c.exec({ command: 'id -un', become })).stdout).toBe(`${bob.name}\n`);
  });

  it('TSPLAY_PERSISTENT_SHELL=0 keeps a channel per command (each its own parent)', async () => {
    const c = await connect({}, createConnectionFactory({ env: { TSPLAY_PERSISTENT_SHELL: '0' } }));
    const parents = new Set<string>();
    for (let i = 0; i < 5; i++) parents.add((await c.exec({ command: 'echo $PPID' })).stdout);
    expect(parents.size).toBe(5);
  });
});
