import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { LabState } from '../../../engine/lab/index.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

/** Runs one fixture playbook with either engine, and reads lab hosts back over plain ssh. */

export type Engine = 'ansible' | 'tsplay';
/** Names each engine's directories, users and units on the hosts (see unEngine). */
export const TAG: Record<Engine, string> = { ansible: 'mc-ans', tsplay: 'mc-tsp' };

export const ROOT = join(__dirname, '..', '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'module-conformance');

export interface RunOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function spawnText(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, input?: string): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** ansible-playbook with the json callback, or tsplay with --output json (or text with -D). */
export function runEngine(engine: Engine, lab: LabState, playbook: string, extra: readonly string[], cwd: string, json = true): Promise<RunOutput> {
  const common = [join(FIXTURES, playbook), '-i', lab.inventory, ...extra];
  if (engine === 'ansible') {
    const env = isolatedEnv({
      ANSIBLE_STDOUT_CALLBACK: json ? 'json' : 'default', ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_PIPELINING: '1',
    });
    return spawnText('ansible-playbook', common, env, cwd);
  }
  const args = [join(ROOT, 'bin', 'tsplay.js'), ...common, ...(json ? ['--output', 'json'] : [])];
  return spawnText(process.execPath, args, isolatedEnv({ NO_COLOR: '1' }), cwd);
}

/** A script's stdout on one lab host, through the lab's key and known_hosts. */
export async function onHost(lab: LabState, host: string, script: string): Promise<string> {
  const h = lab.hosts.find((x) => x.name === host);
  if (!h) throw new Error(`no lab host ${host}`);
  const r = await spawnText('ssh', [
    '-i', lab.privateKey, '-o', `UserKnownHostsFile=${lab.knownHosts}`, '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes', `root@${h.ip}`, 'sh -s',
  ], process.env, ROOT, script);
  if (r.code !== 0) throw new Error(`ssh ${host} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/**
 * Every path under a directory with its type, mode, owner, group and link count, then the
 * content of regular files and the target of links (times and directory sizes left out).
 */
export function treeScript(dir: string): string {
  return `cd '${dir}' 2>/dev/null || { echo "no ${dir}"; exit 0; }
find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r f; do
  stat -c '%n %F %a %U:%G links=%h' -- "$f"
  if [ -L "$f" ]; then echo "-> $(readlink -- "$f")"; elif [ -f "$f" ]; then cat -- "$f"; echo '<EOF>'; fi
done
`;
}
