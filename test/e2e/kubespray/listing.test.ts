import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv } from '../../fixtures/oracle/env.js';
import { extractKubespray, kubesprayEnv, ROOT, type KubesprayTree } from './kubespray-tree.js';

// Kubespray's five playbooks, listed by ansible-playbook 2.14 and by tsplay with the same
// inventory: --syntax-check, --list-tasks, --list-tags and --list-hosts must print the same.
// Needs `npm run build` (bin/tsplay.js runs dist/). About 2 minutes (ansible is the slow half).

const HOSTS = [1, 2, 3, 4].map((i) => ({ name: `node${i}`, ip: `10.88.16.${10 + i}` }));
const PLAYBOOKS: readonly { file: string; args: readonly string[] }[] = [
  { file: 'cluster.yml', args: [] },
  { file: 'scale.yml', args: [] },
  { file: 'upgrade-cluster.yml', args: [] },
  { file: 'remove-node.yml', args: ['-e', 'node=node4'] },
  { file: 'reset.yml', args: [] },
];
const MODES = ['--syntax-check', '--list-tasks', '--list-tags', '--list-hosts'] as const;

let tree: KubesprayTree;

function run(engine: 'ansible' | 'tsplay', playbook: string, args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const argv = [playbook, '-i', tree.inventory, ...args];
  const [cmd, full] = engine === 'ansible' ? ['ansible-playbook', argv] : [process.execPath, [join(ROOT, 'bin', 'tsplay.js'), ...argv]];
  const r = spawnSync(cmd, full, { cwd: tree.dir, env: kubesprayEnv(tree), encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * ansible prints a play's hosts and its tags from Python sets (an order that changes from run to
 * run): host lines of each play are sorted, and so are the play's tags; everything else as printed.
 */
export function normalizeListing(text: string): string {
  const out: string[] = [];
  let hosts: string[] = [];
  const flush = () => {
    out.push(...hosts.sort());
    hosts = [];
  };
  for (const line of text.split('\n')) {
    if (/^ {6}\S/.test(line) && out.some((l) => /^ {4}hosts \(\d+\):$/.test(l)) && !line.includes('\t')) {
      hosts.push(line);
      continue;
    }
    flush();
    out.push(line.replace(/^( {2}play #\d+ .*\tTAGS: \[)([^\]]*)\]$/, (_m, head: string, tags: string) => `${head}${tags.split(',').sort().join(',')}]`));
  }
  flush();
  return out.join('\n');
}

beforeAll(() => {
  tree = extractKubespray(HOSTS);
}, 120_000);

afterAll(() => {
  if (tree) rmSync(dirname(tree.dir), { recursive: true, force: true });
});

const FIXTURE = join(ROOT, 'test', 'fixtures', 'kubespray-compat', 'listing');

/** The listing fixture (block/rescue/always, include_role, repeated dependencies, never/always tags, templated hosts). */
function runFixture(engine: 'ansible' | 'tsplay', args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const argv = ['playbook.yml', '-i', 'inventory', ...args];
  const [cmd, full] = engine === 'ansible' ? ['ansible-playbook', argv] : [process.execPath, [join(ROOT, 'bin', 'tsplay.js'), ...argv]];
  const r = spawnSync(cmd, full, { cwd: FIXTURE, env: isolatedEnv({ ANSIBLE_NOCOLOR: '1', NO_COLOR: '1' }), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('listing shapes Kubespray relies on, as ansible-playbook 2.14 prints them', () => {
  const cases: readonly (readonly string[])[] = [
    ['--list-tasks'], ['--list-tags'], ['--list-hosts'], ['--syntax-check'],
    ['--list-tasks', '-e', 'target=h2'], ['--list-hosts', '-e', 'target=h2'],
    ['--list-tasks', '--tags', 'debugonly'], ['--list-tasks', '--skip-tags', 'second'], ['--list-hosts', '--limit', 'h1'],
  ];
  for (const args of cases) {
    it(args.join(' '), () => {
      const ans = runFixture('ansible', args);
      const ts = runFixture('tsplay', args);
      expect(ans.code, ans.stderr).toBe(0);
      expect(ts.code, ts.stderr).toBe(ans.code);
      expect(normalizeListing(ts.stdout)).toBe(normalizeListing(ans.stdout));
    }, 60_000);
  }
});

describe('Kubespray v2.23.3: listings are the same as ansible-playbook 2.14', () => {
  it('normalizeListing keeps what differs in substance (sanity)', () => {
    const a = '\n  play #1 (all): p\tTAGS: []\n    pattern: [\'all\']\n    hosts (2):\n      b\n      a\n';
    expect(normalizeListing(a)).toBe(normalizeListing(a.replace('      b\n      a', '      a\n      b')));
    expect(normalizeListing(a)).not.toBe(normalizeListing(a.replace('      b\n', '      c\n')));
  });
  for (const pb of PLAYBOOKS) {
    for (const mode of MODES) {
      it(`${pb.file} ${pb.args.join(' ')} ${mode}`, () => {
        const ans = run('ansible', pb.file, [...pb.args, mode]);
        const ts = run('tsplay', pb.file, [...pb.args, mode]);
        expect(ans.code, `ansible-playbook failed:\n${ans.stderr}`).toBe(0);
        expect(ts.code, `tsplay failed:\n${ts.stderr}`).toBe(0);
        expect(ans.stdout.length, 'ansible printed a listing').toBeGreaterThan(20);
        expect(normalizeListing(ts.stdout)).toBe(normalizeListing(ans.stdout));
      }, 120_000);
    }
  }
});
