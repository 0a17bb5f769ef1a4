import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPlaybook } from '../../../engine/api.js';
import { loadSettings } from '../../../engine/config/ansible-cfg.js';
import { UnreachableError } from '../../../engine/errors/index.js';
import type { Connection, ConnectionFactory, ExecRequest } from '../../../engine/types/connection.js';

/**
 * A test stand-in for a host that drops in the middle of a loop: the second command on h1 fails
 * to reach the host (what ssh.ts throws when the link dies); h2 is always fine. No real host can
 * be made to drop at a chosen command in a unit test.
 */
function droppingFactory(commands: string[]): ConnectionFactory {
  let h1Calls = 0;
  return {
    connect: async (p) => {
      const conn: Connection = {
        hostName: p.inventoryHostname,
        exec: async (req: ExecRequest) => {
          commands.push(`${p.inventoryHostname}: ${req.command}`);
          if (p.inventoryHostname === 'h1' && ++h1Calls === 2) throw new UnreachableError('Failed to connect to the host via ssh: link down');
          return { rc: 0, stdout: 'x', stderr: '' };
        },
        putFile: async () => undefined,
        getFile: async () => Buffer.from(''),
        close: async () => undefined,
      };
      return conn;
    },
  };
}

describe('a host that drops UNREACHABLE in the middle of a loop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-unreach-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'inv'), '[web]\nh1 ansible_host=10.0.0.1\nh2 ansible_host=10.0.0.2\n');
  writeFileSync(join(dir, 'pb.yml'), [
    '- hosts: web',
    '  gather_facts: false',
    '  tasks:',
    '    - name: loop',
    '      command: echo {{ item }}',
    '      loop: [a, b, c]',
    '    - name: next',
    '      command: echo next',
  ].join('\n'));

  it('leaves the play at once: no next task, recap ok=0 changed=0 unreachable=1, exit 4', async () => {
    let out = '';
    const commands: string[] = [];
    const code = await runPlaybook(
      { playbooks: ['pb.yml'], inventories: ['inv'], tags: [], skipTags: [], extraVars: {}, check: false, diff: false, verbosity: 0, mode: 'run', output: 'text', color: false },
      { write: (t) => { out += t; }, settings: loadSettings({}, dir), cwd: dir, connectionFactory: droppingFactory(commands) },
    );
    expect(code).toBe(4);
    expect(commands.filter((c) => c.startsWith('h1:'))).toHaveLength(2);
    expect(commands.filter((c) => c.startsWith('h2:') && c.includes('next'))).toHaveLength(1);
    expect(out).toMatch(/h1\s+: ok=0\s+changed=0\s+unreachable=1\s+failed=0/);
    expect(out).toMatch(/h2\s+: ok=2\s+changed=2\s+unreachable=0\s+failed=0/);
  });
});
