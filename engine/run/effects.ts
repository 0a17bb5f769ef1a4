import { withAddedHost, withGroup } from '../inventory/index.js';
import { assertNever } from '../types/outcome.js';
import type { ModuleEffect } from '../types/module.js';
import type { PlayContext } from './context.js';
import type { Result } from './results.js';

function effectsOf(result: Result, isLoop: boolean): ModuleEffect[] {
  if (!isLoop) return (result.effects as ModuleEffect[] | undefined) ?? [];
  return ((result.results as Result[] | undefined) ?? []).flatMap((r) => (r.effects as ModuleEffect[] | undefined) ?? []);
}

/** Applies what controller modules asked for (set_fact, include_vars, facts, add_host, group_by). */
export function applyEffects(pc: PlayContext, host: string, result: Result, isLoop: boolean): void {
  const state = pc.run.state;
  for (const e of effectsOf(result, isLoop)) {
    switch (e.kind) {
      case 'set_fact': {
        const h = state.host(host);
        Object.assign(h.setFacts, e.vars);
        if (e.cacheable) h.facts = { ...h.facts, ...e.vars };
        break;
      }
      case 'include_vars':
        Object.assign(state.host(host).includeVars, e.vars);
        break;
      case 'facts': {
        const h = state.host(host);
        h.facts = { ...h.facts, ...e.facts };
        break;
      }
      case 'add_host':
        state.inventory = withAddedHost(state.inventory, e.name, e.groups, e.vars);
        break;
      case 'group_by':
        state.inventory = withGroup(state.inventory, e.group, [host], e.parents);
        break;
      default:
        assertNever(e);
    }
  }
}
