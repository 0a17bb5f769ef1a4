import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { OptionError } from '../errors/index.js';
import { foldVarLayers, inventoryGraph, inventoryList, inventoryVarLayers, loadInventory, toAnsibleJson, type Inventory } from '../inventory/index.js';
import { Templar } from '../template/index.js';
import { LazyVars } from '../vars/var-source.js';
import { parseExtraVars } from './extra-vars.js';

/** What `tsplay inventory` asks for (like ansible-inventory): one of list, graph, host. */
export interface InventoryRequest {
  readonly sources: readonly string[];
  readonly action: { readonly kind: 'list' } | { readonly kind: 'graph'; readonly group: string } | { readonly kind: 'host'; readonly host: string; readonly explain?: string };
  readonly extraVars: readonly string[];
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

/** The text `tsplay inventory` prints for a request. */
export function inventoryReport(req: InventoryRequest, settings: AnsibleSettings, cwd: string): string {
  const inv = loadInventory(req.sources.length > 0 ? req.sources : settings.inventory, { cwd });
  const hostVars = (h: string) => foldVarLayers(inventoryVarLayers(inv, h));
  const a = req.action;
  switch (a.kind) {
    case 'graph':
      return `${inventoryGraph(inv, a.group)}\n`;
    case 'host':
      if (!inv.hosts.has(a.host)) throw new OptionError(`You must pass a single valid host to --host parameter: ${a.host}`);
      if (a.explain !== undefined) return explain(inv, a.host, a.explain, parseExtraVars(req.extraVars, cwd));
      return `${toAnsibleJson(hostVars(a.host))}\n`;
    case 'list':
      return `${toAnsibleJson(inventoryList(inv, hostVars))}\n`;
  }
}
