import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPlaybook } from '../../../engine/api.js';
import { loadSettings } from '../../../engine/config/ansible-cfg.js';

/** A module's user mistake fails its task or item (ansible's wording), never the run. Runs on localhost. */
describe('a module failure fails only its task', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-modfail-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'inv'), 'localhost ansible_connection=local\n');
  writeFileSync(join(dir, 'pb.yml'), [
    '- hosts: localhost',
    '  gather_facts: false',
    '  tasks:',
    `    - file: {path: ${dir}/x, mode: "u=rwz", state: touch}`,
    '      ignore_errors: true',
    `    - find: {paths: ${dir}, size: 10zz}`,
    '      ignore_errors: true',
    '    - command: echo {{ item }}',
    '      loop: ["a", "it\'s"]',
    '      ignore_errors: true',
    `    - file: {path: ${dir}/y, mode: "a+q", state: touch}`,
    '    - debug: msg=never',
  ].join('\n'));
  const run = async (): Promise<{ code: number; out: string }> => {
    let out = '';
    const code = await runPlaybook(
      { playbooks: ['pb.yml'], inventories: ['inv'], tags: [], skipTags: [], extraVars: {}, check: false, diff: false, verbosity: 0, mode: 'run', output: 'text', color: false },
      { write: (t) => { out += t; }, settings: loadSettings({}, dir), cwd: dir },
    );
    return { code, out };
  };

  it('reports ansible messages, honours ignore_errors, and reaches the recap with exit 2', async () => {
    const { code, out } = await run();
    expect(out).toContain('"details": "bad symbolic permission for mode: u=rwz", "msg": "mode must be in octal or symbolic form"');
    expect(out).toContain('"msg": "failed to process size", "size": "10zz"');
    expect(out).toContain('The error was: ValueError: No closing quotation');
    expect(out).toContain("failed: [localhost] (item=it's)");
    expect(out).toMatch(/fatal: \[localhost\]: FAILED! => \{"changed": false, "details": "bad symbolic permission for mode: a\+q"/);
    expect(out).not.toContain('never');
    expect(out).not.toContain('internal error');
    expect(out).toMatch(/localhost\s+: ok=3\s+changed=1\s+unreachable=0\s+failed=1\s+skipped=0\s+rescued=0\s+ignored=3/);
    expect(code).toBe(2);
  });
});
