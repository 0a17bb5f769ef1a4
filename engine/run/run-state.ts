import type { Inventory } from '../inventory/index.js';

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failures: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failures: 0, skipped: 0, rescued: 0, ignored: 0 };
}

/** Per-host state that outlives a task: facts, set_fact/register results, include_vars. */
export interface HostState {
  facts: Record<string, unknown>;
  /** set_fact and registered results (ansible's non-persistent fact cache). */
  setFacts: Record<string, unknown>;
  includeVars: Record<string, unknown>;
}

/**
 * Everything that changes during a run lives here, owned by the playbook runner and passed
 * down explicitly (design.md: counters and cursors live in run/, never on the model).
 */
export class RunState {
  inventory: Inventory;
  readonly hosts = new Map<string, HostState>();
  readonly stats = new Map<string, HostStats>();
  /** Hosts that failed or were unreachable: they sit out the rest of the playbook. */
  readonly failedHosts = new Set<string>();
  readonly unreachableHosts = new Set<string>();
  /** Set by any_errors_fatal / max_fail_percentage: the playbook stops after the current play. */
  abortPlaybook = false;

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

  stat(name: string): HostStats {
    let s = this.stats.get(name);
    if (s === undefined) {
      s = emptyStats();
      this.stats.set(name, s);
    }
    return s;
  }
}
