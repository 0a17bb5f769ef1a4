import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'errors');

function tsplay(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'tsplay.js'), ...args], { cwd: fixtures, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Each user mistake gives one clear error with file:line:col and a hint, and no stack trace.
const cases = [
  { file: 'syntax.yml', code: 4, message: /YAML syntax error/, where: /syntax\.yml:\d+:\d+/ },
  { file: 'unknown-module.yml', code: 4, message: /couldn't resolve module\/action 'debugg'/, where: /unknown-module\.yml:5:7/, hint: /did you mean 'debug'/ },
  { file: 'unknown-keyword.yml', code: 4, message: /couldn't resolve module\/action 'whn'|conflicting action/, where: /unknown-keyword\.yml:7:7/, hint: /did you mean 'when'/ },
  { file: 'unknown-play-keyword.yml', code: 4, message: /'taks' is not a valid attribute for a Play/, where: /unknown-play-keyword\.yml:3:3/, hint: /did you mean .*'tasks'/ },
  { file: 'bad-type.yml', code: 4, message: /the field 'register' has an invalid value: a list/, where: /bad-type\.yml:5:7/ },
] as const;

describe('user errors', () => {
  it.each(cases)('$file → exit $code with location and hint', (c) => {
    const r = tsplay(c.file, '-i', 'inventory');
    expect(r.code).toBe(c.code);
    expect(r.stderr).toMatch(/^ERROR! /);
    expect(r.stderr).toMatch(c.message);
    expect(r.stderr).toMatch(c.where);
    if ('hint' in c) expect(r.stderr).toMatch(c.hint);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(r.stderr.match(/ERROR!/g)).toHaveLength(1);
  });

  it('an undefined variable fails the task naming the variable and the task file:line:col', () => {
    const r = tsplay('undefined-var.yml', '-i', 'inventory');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/'not_defined_anywhere' is undefined/);
    expect(r.stdout).toMatch(/undefined-var\.yml(:4:7|': line 4, column 7)/);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('a bad option exits 5 with a hint', () => {
    const r = tsplay('unknown-module.yml', '-i', 'inventory', '--forks', 'zero');
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/invalid forks/);
  });
});
