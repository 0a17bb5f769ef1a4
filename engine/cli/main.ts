import { loadSettings } from '../config/ansible-cfg.js';
import { isTsplayError } from '../errors/index.js';
import { renderError } from '../errors/render.js';
import type { LaunchHooks } from './code-cache.js';
import { runPlaybookCommand } from './playbook-command.js';

/** ansible-playbook's exit codes for errors: 4 parse errors, 5 bad options, 1 other user errors. */
function exitCodeForError(code: string): number {
  if (code === 'parse') return 4;
  if (code === 'option') return 5;
  if (code === 'interrupted') return 99;
  // like ansible-playbook: a vault that does not decrypt is a parse-time error (exit 4)
  if (code === 'vault') return 4;
  return 1;
}

/**
 * The only place that prints fatal errors and picks exit codes (design.md). `launch` is the
 * launcher's (bin/tsplay.js through code-cache.ts), told how far the run went.
 */
export async function main(argv: string[], launch?: LaunchHooks): Promise<number> {
  const cwd = process.cwd();
  // `tsplay ... | head`: a closed stdout ends the run quietly, not with a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
  try {
    const settings = loadSettings(process.env, cwd);
    for (const w of settings.warnings) process.stderr.write(`[WARNING]: ${w}\n`);
    // the other commands' code is loaded when they run: a playbook run starts without it
    switch (argv[0]) {
      case 'inventory':
        return await (await import('./inventory-command.js')).runInventoryCommand(argv.slice(1), settings, cwd);
      case 'lab':
        return await (await import('../api.js')).runLab(argv.slice(1));
      case 'plan':
        return await (await import('./plan-command.js')).runPlanCommand(argv.slice(1), settings, cwd);
      case 'offline':
        return await (await import('./offline-command.js')).runOfflineCommand(argv.slice(1), settings, cwd, (t) => process.stdout.write(t));
      case 'vault':
        return await (await import('./vault-command.js')).runVaultCommand(argv.slice(1), settings, cwd);
      case 'certs':
        return await (await import('./certs-command.js')).runCertsCommand(argv.slice(1), settings, cwd, (t) => process.stdout.write(t));
      default:
        return await runPlaybookCommand(argv, settings, cwd, launch);
    }
  } catch (e) {
    if (isTsplayError(e)) {
      process.stderr.write(renderError(e));
      return exitCodeForError(e.code);
    }
    process.stderr.write(`tsplay: internal error (a bug; please report it with this trace):\n${(e as Error).stack ?? String(e)}\n`);
    return 250;
  }
}
