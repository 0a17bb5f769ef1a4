import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../../engine/modules/command.js';
import { raw } from '../../../engine/modules/raw.js';
import { script } from '../../../engine/modules/script.js';
import { shell } from '../../../engine/modules/shell.js';
import { shlexSplit } from '../../../engine/python/shlex.js';
import { harness, tempDir, tripsOf, validArgs } from './context.js';

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('command', () => {
  // expectations from `ansible localhost -c local -m command -a ...` (ansible-core 2.14.18)
  it('splits free-form like shlex and reports the argv as cmd', async () => {
    const r = await harness().run(command, { _raw_params: 'echo "a b" c' });
    expect(r).toMatchObject({ changed: true, cmd: ['echo', 'a b', 'c'], rc: 0, stdout: 'a b c', stdout_lines: ['a b c'], stderr: '', stderr_lines: [], msg: '' });
    expect(r.start).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(r.delta).toMatch(/^0:00:0\d\.\d{6}$/);
  });

  it('fails with "non-zero return code" on rc != 0', async () => {
    const r = await harness().run(command, { _raw_params: 'false' });
    expect(r).toMatchObject({ changed: true, failed: true, rc: 1, msg: 'non-zero return code', cmd: ['false'] });
  });

  it('skips when creates exists / removes is missing, in one round trip', async () => {
    const h = harness();
    const a = await tripsOf(h, command, { _raw_params: 'echo hi creates=/etc/passwd' });
    expect(a.result).toEqual({ changed: false, cmd: ['echo', 'hi'], rc: 0, stdout: 'skipped, since /etc/passwd exists', stdout_lines: ['skipped, since /etc/passwd exists'], stderr: '', stderr_lines: [], start: null, end: null, delta: null, msg: "Did not run command since '/etc/passwd' exists" });
    expect(a.trips).toBe(1);
    const b = await h.run(command, { _raw_params: 'echo hi', removes: '/nonexist' });
    expect(b).toMatchObject({ changed: false, stdout: 'skipped, since /nonexist does not exist', msg: "Did not run command since '/nonexist' does not exist" });
    const c = await h.run(command, { _raw_params: 'echo ran', creates: join(dir, 'nope*') });
    expect(c).toMatchObject({ changed: true, stdout: 'ran' });
  });

  it('check mode: skipped without creates/removes, "would have run" with them', async () => {
    const h = harness();
    expect(await h.run(command, { _raw_params: 'touch x' }, { check: true })).toMatchObject({ changed: false, skipped: true, msg: 'Command would have run if not in check mode' });
    const marker = join(dir, 'check-marker');
    const r = await h.run(command, { _raw_params: `touch ${marker}`, creates: marker }, { check: true });
    expect(r).toMatchObject({ changed: true, msg: 'Command would have run if not in check mode', rc: 0, stdout: '' });
    await expect(readFile(marker)).rejects.toThrow();
  });

  it.each([
    ['$(...)', 'echo $(touch INJ)'],
    ['semicolon', 'echo a; touch INJ'],
    ['backticks', 'echo `touch INJ`'],
    ['quotes', `echo "x' ; touch INJ ; '"`],
    ['pipe and redirect', 'echo a | tee INJ > INJ'],
  ])('cannot be injected with %s', async (_n, text) => {
    const r = await harness().run(command, { _raw_params: text, chdir: dir });
    expect(r.rc).toBe(0);
    await expect(readFile(join(dir, 'INJ'))).rejects.toThrow();
  });

  it('passes argv words unsplit (expanding $VARS like ansible 2.14), chdir and stdin with stdin_add_newline', async () => {
    const h = harness();
    // like ansible's run_command(expand_user_and_vars=True): $HOME expands, an unset name stays
    expect((await h.run(command, { argv: ['printf', '%s|', '$HOME', 'a b', '$TSPLAY_UNSET_X', "it's"] })).stdout).toBe(`${process.env.HOME}|a b|$TSPLAY_UNSET_X|it's|`);
    expect((await h.run(command, { cmd: 'pwd', chdir: dir })).stdout).toBe(dir);
    expect((await h.run(command, { cmd: 'od -c', stdin: 'x' })).stdout).toContain('x  \\n');
    expect((await h.run(command, { cmd: 'od -c', stdin: 'x', stdin_add_newline: false })).stdout).not.toContain('\\n');
    expect((await h.run(command, { cmd: 'printf "a\\n\\n"', strip_empty_ends: false })).stdout).toBe('a\n\n');
  });

  it('rejects unknown args by schema', () => {
    expect(validArgs(command, { _raw_params: 'ls', chdir: '/' })).toBe(true);
    expect(validArgs(command, { _raw_params: 'ls', warn: true, bogus: 1 })).toBe(false);
    expect(validArgs(command, { argv: 'ls' })).toBe(false);
  });
});

describe('shlexSplit', () => {
  it.each([
    ['echo "a b" c', ['echo', 'a b', 'c']],
    [`a 'b "c' d\\ e`, ['a', 'b "c', 'd e']],
    ['x "a\\"b\\n"', ['x', 'a"b\\n']],
  ])('%s', (text, words) => expect(shlexSplit(text)).toEqual(words));
});

describe('shell', () => {
  it('runs through /bin/sh with cmd as the string', async () => {
    const r = await harness().run(shell, { _raw_params: 'echo hi; echo err >&2' });
    expect(r).toMatchObject({ changed: true, cmd: 'echo hi; echo err >&2', rc: 0, stdout: 'hi', stderr: 'err', stderr_lines: ['err'], msg: '' });
  });
  it('fails on exit 2 and honours chdir and creates in free-form', async () => {
    const h = harness();
    expect(await h.run(shell, { _raw_params: 'exit 2' })).toMatchObject({ failed: true, rc: 2, msg: 'non-zero return code', cmd: 'exit 2' });
    expect((await h.run(shell, { _raw_params: `pwd chdir=${dir}` })).stdout).toBe(dir);
    expect(await h.run(shell, { _raw_params: 'echo x creates=/etc/passwd' })).toMatchObject({ changed: false, cmd: 'echo x' });
  });
  it('uses executable', async () => {
    expect((await harness().run(shell, { _raw_params: 'echo $BASH_VERSION', executable: '/bin/bash' })).stdout).not.toBe('');
  });
});

describe('raw', () => {
  it('keeps output unstripped and fails on rc', async () => {
    const h = harness();
    expect(await h.run(raw, { _raw_params: 'echo hi' })).toEqual({ changed: true, rc: 0, stdout: 'hi\n', stderr: '', stdout_lines: ['hi'], stderr_lines: [] });
    expect(await h.run(raw, { _raw_params: 'exit 3' })).toMatchObject({ changed: true, failed: true, rc: 3, msg: 'non-zero return code' });
    expect(raw.supportsCheck).toBe(false);
  });
});

describe('script', () => {
  it('uploads, runs with args and cleans up (putFile + 1 exec)', async () => {
    const h = harness();
    const { result, trips } = await tripsOf(h, script, { _raw_params: 'hello.sh arg1' });
    expect(result).toEqual({ changed: true, rc: 0, stdout: 'script arg1\n', stdout_lines: ['script arg1'], stderr: 'err\n', stderr_lines: ['err'] });
    expect(trips).toBe(2);
  });
  it('creates skips; check mode skips unless creates/removes decide', async () => {
    const h = harness();
    expect(await h.run(script, { _raw_params: 'hello.sh', creates: '/etc/passwd' })).toEqual({ changed: false, skipped: true, msg: '/etc/passwd exists, matching creates option' });
    expect(await h.run(script, { _raw_params: 'hello.sh' }, { check: true })).toEqual({ changed: false, skipped: true, msg: 'Check mode is not supported for this task.' });
    expect(await h.run(script, { _raw_params: 'hello.sh', creates: join(dir, 'none') }, { check: true })).toEqual({ changed: true });
  });
  it('fails with non-zero return code', async () => {
    await writeFile(join(dir, 'fail.sh'), 'exit 4\n');
    expect(await harness().run(script, { _raw_params: join(dir, 'fail.sh') })).toMatchObject({ changed: true, failed: true, rc: 4, msg: 'non-zero return code' });
  });
});
