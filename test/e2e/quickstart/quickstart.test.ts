import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labDown } from '../../../engine/lab/index.js';
import { isolatedEnv } from '../../fixtures/oracle/env.js';

// The README's first command, headless, as a new user runs it: lab with its mirror host, the
// air-gapped cluster.yml, the summary; then again, converged. Its own lab name and subnet; dist/
// is already built by `npm test` (TSPLAY_SKIP_BUILD), so the run cannot rebuild it under others.
const root = join(__dirname, '..', '..', '..');
const lab = { name: 'tsplayqs', subnet: '10.88.21' };

function quickstart() {
  const env = isolatedEnv({ TSPLAY_SKIP_BUILD: '1', TSPLAY_LAB_NAME: lab.name, TSPLAY_LAB_SUBNET: lab.subnet, NO_COLOR: '1', ANSIBLE_CONFIG: join(root, 'ansible.cfg') });
  // the checkout's fact cache would hold other labs' facts under the same host names
  env.ANSIBLE_CACHE_PLUGIN = 'memory';
  const r = spawnSync('bash', [join(root, 'bin', 'quickstart.sh')], { cwd: root, env, encoding: 'utf8', timeout: 900_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function recap(out: string): Record<string, Record<string, number>> {
  const rows: Record<string, Record<string, number>> = {};
  for (const m of out.matchAll(/^(node\d+)\s+: (ok=.*)$/gm)) rows[m[1]!] = Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1]!, Number(x[2])]));
  return rows;
}

afterAll(async () => {
  await labDown({ ...lab, stateDir: join(root, '.tsplay', 'lab', lab.name), log: () => undefined });
}, 120_000);

describe('npm run quickstart (bin/quickstart.sh)', () => {
  it('deploys the air-gapped foundation, reports etcd healthy from every member, and converges on a second run', () => {
    const first = quickstart();
    expect(first.code, first.out.slice(-3000)).toBe(0);
    expect(Object.keys(recap(first.out)).sort()).toEqual(['node1', 'node2', 'node3']);
    for (const row of Object.values(recap(first.out))) expect(row.failed).toBe(0);
    expect(first.out.match(/etcd: https:\/\/127\.0\.0\.1:2379 is healthy/g)).toHaveLength(3);
    expect(first.out.match(/: containerd github\.com\/containerd\/containerd 1\.6\.\d+/g)).toHaveLength(3);
    expect(first.out).toContain(`lab down --name ${lab.name}`);
    const second = quickstart();
    expect(second.code, second.out.slice(-3000)).toBe(0);
    const rows = recap(second.out);
    expect(Object.keys(rows).sort()).toEqual(['node1', 'node2', 'node3']);
    for (const row of Object.values(rows)) expect(row.changed).toBe(0);
  }, 1_200_000);
});
