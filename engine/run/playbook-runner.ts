import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { loadVarsFolders, type VarsFolders } from '../inventory/index.js';
import type { PlaybookLoader } from '../model/playbook-loader.js';
import type { Playbook } from '../model/types.js';
import type { RunContext } from './context.js';
import { runPlay } from './play-runner.js';

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
  const hosts = run.ledger.retryHosts();
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

/** A parsed playbook with the loader of its own folder (roles, includes at run time). */
export interface LoadedPlaybook {
  readonly playbook: Playbook;
  readonly loader: PlaybookLoader;
  /** The path as given on the command line (ansible's "N plays in PATH" prints it so). */
  readonly given?: string;
}

export async function runPlaybooks(run: RunContext, playbooks: readonly LoadedPlaybook[]): Promise<number> {
  await loadCachedFacts(run);
  try {
    for (const { playbook: pb, loader, given } of playbooks) {
      run.emit({ kind: 'playbook_start', file: pb.file, plays: pb.plays.length, given });
      for (const play of pb.plays) {
        if (run.ledger.aborted || run.signal?.aborted) break;
        // like ansible: failed hosts sit out later plays but stay in ansible_play_hosts_all
        await runPlay(run, play, loader, playbookVarsFolders(play.playbookDir, run));
      }
      // like ansible's PlaybookExecutor: after each playbook file the retry file, then a PLAY RECAP
      // (the stats so far); a playbook that leaves failed or unreachable hosts stops the ones after it
      if (!run.signal?.aborted) await writeRetryFile(run, pb.file);
      run.emit({ kind: 'recap', stats: run.ledger.recap() });
      if (run.ledger.aborted || run.signal?.aborted || run.ledger.exitCode() !== 0) break;
    }
  } finally {
    await run.connections.closeAll();
    await saveCachedFacts(run);
  }
  return run.ledger.exitCode();
}
