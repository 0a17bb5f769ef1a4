import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

/** Helpers shared by the inventory tests: fixture paths and ansible-core as an oracle. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/inventory');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

// ansible-core is installed with the system python (Debian's ansible-core package)
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export const HAVE_ANSIBLE = spawnSync(PYTHON, ['-c', 'import ansible.inventory.manager'], { stdio: 'ignore' }).status === 0;

export interface OracleCase {
  readonly pattern: string | readonly string[];
  readonly limit?: string;
}

export type OracleResult = string[] | { error: string };

/**
 * Runs every case through ansible's own InventoryManager.get_hosts in one python process
 * (what `ansible PATTERN --list-hosts` and ansible-playbook call), far cheaper than one CLI per case.
 */
export function ansibleGetHosts(cwd: string, sources: readonly string[], cases: readonly OracleCase[]): OracleResult[] {
  const script = `
import json, sys
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.errors import AnsibleError
req = json.load(sys.stdin)
im = InventoryManager(DataLoader(), sources=req['sources'])
out = []
for case in req['cases']:
    try:
        im.subset(case.get('limit'))
        out.append([h.name for h in im.get_hosts(case['pattern'])])
    except AnsibleError as e:
        out.append({'error': str(e)})
    im.subset(None)
print(json.dumps(out))
`;
  const stdout = execFileSync(PYTHON, ['-c', script], { cwd, env: isolatedEnv(), input: JSON.stringify({ sources, cases }), encoding: 'utf8' });
  return JSON.parse(stdout) as OracleResult[];
}
