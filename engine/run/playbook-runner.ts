import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadVarsFolders, type VarsFolders } from '../inventory/index.js';
import type { PlaybookLoader } from '../model/playbook-loader.js';
import type { Playbook } from '../model/types.js';
import type { RunContext } from './context.js';
import { runPlay } from './play-runner.js';

function playbookVarsFolders(dir: string): VarsFolders | undefined {
  return existsSync(join(dir, 'group_vars')) || existsSync(join(dir, 'host_vars')) ? loadVarsFolders(dir) : undefined;
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

/** A parsed playbook with the loader of its own folder (roles, includes at run time). */
export interface LoadedPlaybook {
  readonly playbook: Playbook;
  readonly loader: PlaybookLoader;
}

export async function runPlaybooks(run: RunContext, playbooks: readonly LoadedPlaybook[]): Promise<number> {
  await loadCachedFacts(run);
  try {
    for (const { playbook: pb, loader } of playbooks) {
      run.emit({ kind: 'playbook_start', file: pb.file });
      for (const play of pb.plays) {
        if (run.ledger.aborted) break;
        // like ansible: failed hosts sit out later plays but stay in ansible_play_hosts_all
        await runPlay(run, play, loader, playbookVarsFolders(play.playbookDir));
      }
      // like ansible's PlaybookExecutor: a PLAY RECAP (the stats so far) after each playbook file,
      // and a playbook that leaves failed or unreachable hosts stops the playbooks after it
      run.emit({ kind: 'recap', stats: run.ledger.recap() });
      if (run.ledger.aborted || run.ledger.exitCode() !== 0) break;
    }
  } finally {
    await run.connections.closeAll();
    await saveCachedFacts(run);
  }
  return run.ledger.exitCode();
}
