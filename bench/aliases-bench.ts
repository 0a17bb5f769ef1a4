/**
 * Many inventory aliases of few machines (issue 10, item 6): N aliases of the lab's hosts run
 * one command with -f F. sshd's MaxStartups drops handshakes past 10 per server; tsplay must
 * bound and retry them: every alias ok, none falsely UNREACHABLE, no crash.
 * Run: npm run bench:aliases [-- --aliases 500 --forks 100 --hosts 3 --lab-name tsplayft --subnet 10.88.15]
 * Prints wall time, the recap counts and the controller's peak memory (VmHWM); exit 1 on any miss.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { labDown, labUp, type LabState } from '../engine/lab/index.js';
import { findRepoRoot } from './run.js';

interface Measured {
  readonly code: number | null;
  readonly out: string;
  readonly wallMs: number;
  readonly peakKb: number;
}

/** Runs tsplay and samples its high-water RSS from /proc while it runs. */
function measure(argv: readonly string[], cwd: string): Promise<Measured> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, argv, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let peakKb = 0;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const sample = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited between two samples
      }
    }, 50);
    child.on('close', (code) => {
      clearInterval(sample);
      resolve({ code, out, wallMs: Date.now() - started, peakKb });
    });
  });
}

function aliasesInventory(state: LabState, count: number): string {
  const lines = Array.from({ length: count }, (_, i) => {
    const h = state.hosts[i % state.hosts.length]!;
    return `a${i} ansible_host=${h.ip} ansible_user=root ansible_ssh_private_key_file=${state.privateKey}`;
  });
  const common = `-o UserKnownHostsFile=${state.knownHosts} -o StrictHostKeyChecking=yes`;
  return `[all]\n${lines.join('\n')}\n[all:vars]\nansible_ssh_common_args='${common}'\n`;
}

async function main(): Promise<number> {
  const { values: v } = parseArgs({
    options: {
      aliases: { type: 'string', default: '500' }, forks: { type: 'string', default: '100' }, hosts: { type: 'string', default: '3' },
      'lab-name': { type: 'string', default: 'tsplayft' }, subnet: { type: 'string', default: '10.88.15' }, 'keep-lab': { type: 'boolean', default: false },
    },
  });
  const repo = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  const count = Number(v.aliases);
  const lab = { name: v['lab-name']!, subnet: v.subnet!, hosts: Number(v.hosts), kind: 'systemd' as const, stateDir: join(repo, '.tsplay', 'lab', v['lab-name']!), log: (l: string) => console.error(`[lab] ${l}`) };
  const work = mkdtempSync(join(tmpdir(), 'tsplay-aliases-'));
  try {
    const state = await labUp(lab);
    writeFileSync(join(work, 'aliases.ini'), aliasesInventory(state, count));
    writeFileSync(join(work, 'ping.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
    const m = await measure([join(repo, 'bin', 'tsplay.js'), 'ping.yml', '-i', 'aliases.ini', '-f', v.forks!], work);
    const ok = (m.out.match(/^a\d+\s+: ok=1\s+changed=1\s+unreachable=0\s+failed=0/gm) ?? []).length;
    const unreachable = (m.out.match(/^a\d+\s+: .*unreachable=[1-9]/gm) ?? []).length;
    const crashed = /internal error|Unhandled 'error' event|\n\s+at .*\.js:\d+/.test(m.out);
    console.log(`${count} aliases of ${lab.hosts} hosts, -f ${v.forks}: exit ${m.code}, ${ok} ok, ${unreachable} unreachable, ${crashed ? 'CRASHED' : 'no crash'}, wall ${(m.wallMs / 1000).toFixed(1)} s, peak RSS ${(m.peakKb / 1024).toFixed(0)} MiB`);
    return m.code === 0 && ok === count && unreachable === 0 && !crashed ? 0 : 1;
  } finally {
    if (!v['keep-lab']) await labDown(lab);
    rmSync(work, { recursive: true, force: true });
  }
}

main().then((code) => (process.exitCode = code), (e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
