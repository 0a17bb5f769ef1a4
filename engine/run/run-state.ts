import type { Inventory } from '../inventory/index.js';

/** Per-host state that outlives a task: facts, set_fact/register results, include_vars. */
export interface HostState {
  /**
   * Replaced, never changed in place, when facts change (`h.facts = { ...h.facts, ...more }`):
   * the facts variable layer is built once per facts object (run/vars-builder.ts).
   */
  facts: Readonly<Record<string, unknown>>;
  /** set_fact and registered results (ansible's non-persistent fact cache). */
  setFacts: Record<string, unknown>;
  includeVars: Record<string, unknown>;
}

/**
 * The hosts' data that changes during a run (facts, registered results), owned by the playbook
 * runner and passed down explicitly; each host's standing lives in HostLedger (design.md:
 * counters and cursors live in run/, never on the model).
 */
export class RunState {
  inventory: Inventory;
  readonly hosts = new Map<string, HostState>();

  constructor(inventory: Inventory) {
    this.inventory = inventory;
  }

  host(name: string): HostState {
    let h = this.hosts.get(name);
    if (h === undefined) {
      h = { facts: {}, setFacts: {}, includeVars: {} };
      this.hosts.set(name, h);
    }
    return h;
  }
}
