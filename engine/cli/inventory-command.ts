import { Command } from 'commander';
import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { OptionError } from '../errors/index.js';
import { foldVarLayers, inventoryGraph, inventoryList, inventoryVarLayers, loadInventory, toAnsibleJson, type Inventory } from '../inventory/index.js';
import { Templar } from '../template/index.js';
import { LazyVars } from '../vars/var-source.js';
import { parseExtraVars } from './extra-vars.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Which layer set VAR for a host: every layer that has it, lowest first, the winner marked. */
function explain(inv: Inventory, host: string, name: string, extraVars: Record<string, unknown>): string {
  const templar = new Templar();
  const layers = [
    ...inventoryVarLayers(inv, host).map((l) => ({ layer: 'inventory' as const, source: `${l.layer}: ${l.source}`, vars: l.vars })),
    { layer: 'extra_vars' as const, source: 'extra vars (-e)', vars: extraVars },
  ];
  const lv = new LazyVars(layers, templar);
  const hits = lv.explain(name);
  if (hits.length === 0) return `${name} is not set for ${host} by the inventory or -e (role defaults and play vars are applied when a playbook runs)\n`;
  const lines = hits.map((h, i) => `${i === hits.length - 1 ? '*' : ' '} ${h.source}: ${JSON.stringify(h.value)}`);
  let value: unknown;
  try {
    value = lv.get(name);
  } catch (e) {
    value = `<error: ${(e as Error).message}>`;
  }
  return `${name} for ${host} = ${JSON.stringify(value)}\n${lines.join('\n')}\n(* wins; lower lines override higher ones)\n`;
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
  const sources = (o.inventory as string[]).length > 0 ? (o.inventory as string[]) : settings.inventory;
  const inv = loadInventory(sources, { cwd });
  const hostVars = (h: string) => foldVarLayers(inventoryVarLayers(inv, h));
  if (o.graph) process.stdout.write(`${inventoryGraph(inv, program.args[0] ?? 'all')}\n`);
  else if (o.host !== undefined) {
    if (!inv.hosts.has(o.host as string)) throw new OptionError(`You must pass a single valid host to --host parameter: ${String(o.host)}`);
    if (o.explain !== undefined) process.stdout.write(explain(inv, o.host as string, o.explain as string, parseExtraVars(o.extraVars as string[], cwd)));
    else process.stdout.write(`${toAnsibleJson(hostVars(o.host as string))}\n`);
  } else if (o.list) process.stdout.write(`${toAnsibleJson(inventoryList(inv, hostVars))}\n`);
  else throw new OptionError('No action selected, at least one of --host, --graph or --list needs to be specified.');
  return 0;
}
