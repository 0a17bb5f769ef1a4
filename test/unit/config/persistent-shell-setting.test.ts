import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../engine/config/ansible-cfg.js';

const dir = mkdtempSync(join(tmpdir(), 'tsplay-cfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the persistent shell switch', () => {
  const cfg = (body: string): string => {
    const p = join(dir, `${Math.random().toString(36).slice(2)}.cfg`);
    writeFileSync(p, body);
    return p;
  };

  it.each([
    ['on by default', {}, '', true],
    ['off from the environment', { TSPLAY_PERSISTENT_SHELL: '0' }, '', false],
    ['off from ansible.cfg', {}, '[ssh_connection]\ntsplay_persistent_shell = False\n', false],
    ['the environment wins over ansible.cfg', { TSPLAY_PERSISTENT_SHELL: 'yes' }, '[ssh_connection]\ntsplay_persistent_shell = False\n', true],
  ])('%s', (_name, env, body, expected) => {
    const settings = loadSettings({ ...env, ANSIBLE_CONFIG: cfg(body), HOME: dir }, dir);
    expect(settings.persistentShell).toBe(expected);
  });
});
