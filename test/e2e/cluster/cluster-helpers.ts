import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabState } from '../../../engine/lab/index.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

export const ROOT = join(__dirname, '..', '..', '..');

export interface Ran {
  readonly code: number | null;
  readonly out: string;
  readonly seconds: number;
}

/** The CLI as a user runs it, with its own fact cache (no facts from other labs). */
export function tsplay(args: readonly string[], work: string, timeoutMs = 600_000): Ran {
  // The checkout's ansible.cfg (roles_path, like Kubespray's), facts cached in the suite's own folder.
  const env = isolatedEnv({ NO_COLOR: '1', ANSIBLE_CONFIG: join(ROOT, 'ansible.cfg'), ANSIBLE_CACHE_PLUGIN_CONNECTION: join(work, 'facts') });
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tsplay.js'), ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: timeoutMs });
  return { code: r.status, out: r.stdout + r.stderr, seconds: (Date.now() - started) / 1000 };
}

export function recap(out: string): Record<string, Record<string, number>> {
  const rows: Record<string, Record<string, number>> = {};
  for (const m of out.matchAll(/^(\S+)\s+: (ok=.*)$/gm)) {
    rows[m[1]!] = Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1]!, Number(x[2])]));
  }
  return rows;
}

/** Real OpenSSH to a lab address, host keys checked against the lab's known_hosts. */
export function ssh(state: LabState, ip: string, command: string, input?: string): { code: number | null; out: string } {
  const r = spawnSync('ssh', ['-i', state.privateKey, '-o', `UserKnownHostsFile=${state.knownHosts}`, '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes', `root@${ip}`, command], { encoding: 'utf8', timeout: 120_000, input });
  return { code: r.status, out: r.stdout + r.stderr };
}

/**
 * A copy of the lab inventory (inventory.ini + group_vars) in a temporary folder, with the
 * inventory text edited and extra group_vars files added: how the bad-inventory cases are made.
 */
export function inventoryVariant(state: LabState, edit: (ini: string) => string, extraVars: Readonly<Record<string, string>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-cl-inv-'));
  cpSync(join(state.stateDir, 'group_vars'), join(dir, 'group_vars'), { recursive: true });
  writeFileSync(join(dir, 'inventory.ini'), edit(readFileSync(state.inventory, 'utf8')));
  for (const [name, text] of Object.entries(extraVars)) writeFileSync(join(dir, 'group_vars', 'all', name), text);
  return join(dir, 'inventory.ini');
}

/** What cluster.yml leaves on a node; none of it may exist after a run that was refused. */
export const FOOTPRINT = ['/tmp/releases', '/etc/containerd', '/etc/sysctl.d/99-kubernetes.conf', '/etc/etcd.env', '/etc/ssl/etcd', '/usr/local/bin/containerd', '/etc/crictl.yaml'];
