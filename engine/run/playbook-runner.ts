import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { loadVarsFolders, type VarsFolders } from '../inventory/index.js';
import type { Playbook } from '../model/types.js';
import type { HostCounters } from '../types/events.js';
import type { RunContext } from './context.js';
import { runPlay } from './play-runner.js';

/** ansible-playbook's exit codes: 4 when a host was unreachable, else 2 when one failed. */
export function exitCodeFor(run: RunContext): number {
  // like ansible's StrategyBase.run: unreachable hosts are checked before failed ones, so a run
  // with both exits 4 (seen with ansible-core 2.14)
  if (run.state.unreachableHosts.size > 0) return 4;
  if (run.state.failedHosts.size > 0) return 2;
  return 0;
}

function playbookVarsFolders(dir: string, run: RunContext): VarsFolders | undefined {
  return existsSync(join(dir, 'group_vars')) || existsSync(join(dir, 'host_vars')) ? loadVarsFolders(dir, run.vault) : undefined;
}

async function loadCachedFacts(run: RunContext): Promise<void> {
  const cache = run.factCache;
  if (!cache) return;
  await Promise.all([...run.state.inventory.hosts.keys()].map(async (h) => {
    const facts = await cache.load(h);
    if (facts) run.state.host(h).facts = facts;
  }));
}

async function saveCachedFacts(run: RunContext): Promise<void> {
  const cache = run.factCache;
  if (!cache) return;
  await Promise.all([...run.state.hosts].filter(([, st]) => Object.keys(st.facts).length > 0).map(([h, st]) => cache.save(h, st.facts)));
}

/** like ansible's retry_files_enabled: PLAYBOOK.retry lists the failed and unreachable hosts. */
async function writeRetryFile(run: RunContext, playbook: string): Promise<void> {
  const opts = run.options.retryFiles;
  const hosts = [...new Set([...run.state.failedHosts, ...run.state.unreachableHosts])].sort();
  if (opts?.enabled !== true || hosts.length === 0) return;
  const dir = opts.savePath ?? dirname(playbook);
  const path = join(dir, `${basename(playbook).replace(/\.[^.]*$/, '')}.retry`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(path, `${hosts.join('\n')}\n`);
    run.emit({ kind: 'retry_file', path });
  } catch (e) {
    // like ansible: a retry file that cannot be written is a warning, not a failed run
    run.emit({ kind: 'warning', message: `Could not create retry file '${path}'. [Errno] ${(e as Error).message}` });
  }
}

export async function runPlaybooks(run: RunContext, playbooks: readonly Playbook[]): Promise<number> {
  await loadCachedFacts(run);
  try {
    for (const pb of playbooks) {
      run.emit({ kind: 'playbook_start', file: pb.file });
      for (const play of pb.plays) {
        if (run.state.abortPlaybook || run.signal?.aborted) break;
        // like ansible: failed hosts sit out later plays but stay in ansible_play_hosts_all
        await runPlay(run, play, playbookVarsFolders(play.playbookDir, run));
      }
      if (run.state.abortPlaybook || run.signal?.aborted) break;
    }
  } finally {
    await run.connections.closeAll();
    await saveCachedFacts(run);
  }
  const last = playbooks[playbooks.length - 1];
  if (last !== undefined && !run.signal?.aborted) await writeRetryFile(run, last.file);
  const stats = new Map<string, HostCounters>();
  for (const [h, s] of run.state.stats) stats.set(h, { ...s });
  run.emit({ kind: 'recap', stats });
  return exitCodeFor(run);
}
