import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Faults a user meets on any machine, over the local connection: bad keyword values, a task's
// timeout, Ctrl-C. The same behaviours over SSH on lab hosts: test/e2e/faults.
const root = join(__dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'faults');
const env = { ...process.env, NO_COLOR: '1', ANSIBLE_CONFIG: join(fixtures, 'ansible.cfg') };
const work = mkdtempSync(join(tmpdir(), 'tsplay-faults-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tsplay(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'tsplay.js'), ...args, '-i', 'inventory'], { cwd: fixtures, encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Gone, or a zombie waiting for a reaper (killed all the same). */
function processGone(pid: number): boolean {
  const r = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  return r.stdout.trim() === '' || r.stdout.trim().startsWith('Z');
}

describe('typed keywords: literals fail at parse time with file:line:col', () => {
  const cases = [
    ['no_log', 'ture', 'an bool'], ['become', 'maybe', 'an bool'], ['ignore_errors', 'perhaps', 'an bool'],
  ] as const;
  it.each(cases)('%s: %s', (key, value, kind) => {
    const r = tsplay(`lit-${key}.yml`);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`the field '${key}' has an invalid value (${value}), and could not be converted to ${kind}`);
    expect(r.stderr).toMatch(new RegExp(`lit-${key}\\.yml:6:7`));
    expect(r.stdout + r.stderr).not.toContain('secret-value');
  });
});

describe('typed keywords: display and retry literals (delay, retries, timeout) fail their task at run time, like ansible', () => {
  const cases = [['delay', 'soon', 'an int'], ['retries', 'lots', 'an int'], ['timeout', 'soon', 'an int']] as const;
  it.each(cases)('%s: %s', (key, value, kind) => {
    const r = tsplay(`lit-${key}.yml`);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`the field '${key}' has an invalid value (${value}), and could not be converted to ${kind}`);
    expect(r.stdout + r.stderr).not.toContain('secret-value');
  });
});

describe('typed keywords: templated values fail their task at run time', () => {
  it('retries, no_log (censored), become and delay each fail with a clear message', () => {
    const r = tsplay('templated.yml', '-e', 'bad=bogus');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`the field 'retries' has an invalid value ({{ bad }}), and could not be converted to an int.The error was: invalid literal for int() with base 10: 'bogus'`);
    expect(r.stdout).toContain(`"censored": "the output has been hidden due to the fact that 'no_log: true' was specified for this result"`);
    expect(r.stdout).not.toContain('secret-value');
    expect(r.stdout).toContain(`the field 'become' has an invalid value ({{ bad }}), and could not be converted to an bool`);
    expect(r.stdout).toContain(`the field 'delay' has an invalid value ({{ bad }})`);
    expect(r.stdout).toMatch(/localhost\s+: ok=3\s+changed=0\s+unreachable=0\s+failed=1\s+skipped=0\s+rescued=0\s+ignored=3/);
  });
});

describe('timeout: on a task', () => {
  it('fails at the deadline with ansible\'s message and kills the command\'s children', () => {
    const pidfile = join(work, 'timeout.pid');
    const started = Date.now();
    const r = tsplay('timeout.yml', '-e', `pidfile=${pidfile}`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('"msg": "The shell action failed to execute in the expected time frame (1) and was terminated"');
    expect(processGone(Number(readFileSync(pidfile, 'utf8')))).toBe(true);
  });
});

describe('SIGINT and SIGTERM', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: message, recap, exit 99, nothing left running, nothing new started', async (sig) => {
    const pidfile = join(work, `${sig}.pid`);
    const child = spawn(process.execPath, [join(root, 'bin', 'tsplay.js'), 'interrupt.yml', '-i', 'inventory', '-e', `pidfile=${pidfile}`], { cwd: fixtures, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!existsSync(pidfile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', (c) => resolve(c));
      child.kill(sig);
    });
    expect(code).toBe(99);
    expect(err).toContain('[ERROR]: User interrupted execution');
    expect(out).toMatch(/PLAY RECAP \*+\nlocalhost\s+: ok=0\s+changed=0\s+unreachable=0\s+failed=0/);
    expect(out).not.toContain('never starts');
    expect(existsSync(`${pidfile}.next`)).toBe(false);
    expect(processGone(Number(readFileSync(pidfile, 'utf8')))).toBe(true);
  });
});

describe('the smaller list', () => {
  it('circular role dependencies are an error like ansible\'s, with the chain', () => {
    const r = tsplay('role-loop.yml');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('A recursion loop was detected with the roles specified. Make sure child roles do not have dependencies on parent roles');
    expect(r.stderr).toContain('loop_a -> loop_b -> loop_a');
  });

  it('a templated role name resolves with -e', () => {
    const r = tsplay('role-templated.yml', '-e', 'which=named');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"msg": "named-role-ran"');
  });

  it('duplicate keys warn like ansible; namespace() works; debug var= of a recursive variable fails the task', () => {
    const r = tsplay('smaller.yml');
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/\[WARNING\]: While constructing a mapping from \S+smaller\.yml, line 4, column 5, found a duplicate dict key \(dup\)\. Using last defined value only\./);
    expect(r.stdout).toContain('"dup": 2');
    expect(r.stdout).toContain('"msg": "found=True n=6"');
    expect(r.stdout).toMatch(/fatal: \[localhost\]: FAILED! => \{"msg": "recursive loop detected in template: loopy -> loopy/);
    expect(r.stdout).not.toContain('VARIABLE IS NOT DEFINED');
    expect(r.code).toBe(2);
  });

  it('a reversed host range warns instead of silently adding no host', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'tsplay.js'), 'smaller.yml', '-i', 'reversed-inventory'], { cwd: fixtures, encoding: 'utf8', env });
    expect(r.stdout.replace(/\s+/g, ' ')).toContain("[WARNING]: reversed-inventory:2: the host range 'node[5:1]' is empty (its start is after its end), so it adds no host");
  });
});
