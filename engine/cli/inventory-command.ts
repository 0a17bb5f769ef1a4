import { Command } from 'commander';
import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { OptionError } from '../errors/index.js';
import { inventoryReport, type InventoryRequest } from '../api.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `tsplay inventory`, like ansible-inventory: --list, --graph [GROUP], --host H [--explain VAR]. */
export async function runInventoryCommand(argv: string[], settings: AnsibleSettings, cwd: string): Promise<number> {
  const program = new Command('tsplay inventory')
    .option('-i, --inventory <path>', 'inventory source (repeatable)', collect, [])
    .option('--list', 'all groups and host vars as JSON')
    .option('--graph', 'the group tree')
    .option('--host <host>', 'one host\'s variables as JSON')
    .option('--explain <var>', 'with --host: which layer set this variable')
    .option('-e, --extra-vars <vars>', 'extra vars for --explain', collect, [])
    .argument('[group]')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'commander.helpDisplayed') return 0;
    throw new OptionError((e as Error).message.replace(/^error: /, ''), { hint: 'tsplay inventory -i INV --list | --graph | --host H' });
  }
  const o = program.opts();
  const action: InventoryRequest['action'] | undefined = o.graph ? { kind: 'graph', group: program.args[0] ?? 'all' }
    : o.host !== undefined ? { kind: 'host', host: o.host as string, explain: o.explain as string | undefined }
    : o.list ? { kind: 'list' } : undefined;
  if (action === undefined) throw new OptionError('No action selected, at least one of --host, --graph or --list needs to be specified.');
  process.stdout.write(inventoryReport({ sources: o.inventory as string[], action, extraVars: o.extraVars as string[] }, settings, cwd));
  return 0;
}
