import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

export const ROOT = join(__dirname, '..', '..', '..');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/tsplay.js) in `cwd` with an isolated ansible environment. */
export function tsplay(cwd: string, args: string[], env: Record<string, string> = {}, input?: string): Ran {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tsplay.js'), ...args], { cwd, encoding: 'utf8', env: isolatedEnv({ NO_COLOR: '1', ...env }), input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs ansible-vault 2.14 (the oracle) the same way. */
export function ansibleVault(cwd: string, args: string[], input?: string): Ran {
  const r = spawnSync('ansible-vault', args, { cwd, encoding: 'utf8', env: isolatedEnv(), input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A fresh folder holding `files` (name → content). */
export function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-vault-test-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
