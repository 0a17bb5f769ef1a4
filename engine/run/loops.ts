import { TsplayError } from '../errors/index.js';
import type { TaskNode } from '../model/types.js';
import type { SourceLoc } from '../types/source.js';
import { pythonRepr, type Templar } from '../template/index.js';
import type { VarSource } from '../template/python/values.js';
import { toBool } from '../python/boolean.js';

export interface LoopTemplating {
  template(value: unknown): unknown;
  /** Runs lookup plugin `name` on the templated terms (with_<name>). */
  lookup(name: string, terms: unknown): unknown[];
}

/** loop_control with its settings templated (loop_var: "{{ name }}"); label stays per item. */
export function templatedLoopControl(raw: unknown, template: (v: unknown) => unknown): Record<string, unknown> {
  const lc = (raw ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(lc).map(([k, v]) => [k, k === 'label' ? v : template(v)]));
}

/** The variables of one loop item: loop_var, index_var, and ansible_loop when extended. */
export function loopItemVars(lc: Readonly<Record<string, unknown>>, item: unknown, index: number, items: readonly unknown[]): Record<string, unknown> {
  const loopVar = String(lc.loop_var ?? 'item');
  const out: Record<string, unknown> = { [loopVar]: item, ansible_loop_var: loopVar };
  if (lc.index_var !== undefined) {
    out[String(lc.index_var)] = index;
    out.ansible_index_var = String(lc.index_var);
  }
  if (toBool(lc.extended)) {
    out.ansible_loop = {
      // like ansible: loop_control.extended_allitems: false leaves allitems out
      ...(lc.extended_allitems === undefined || toBool(lc.extended_allitems) ? { allitems: items } : {}),
      index: index + 1, index0: index, revindex: items.length - index, revindex0: items.length - index - 1,
      first: index === 0, last: index === items.length - 1, length: items.length,
      // like ansible: previtem / nextitem are absent (undefined), not None, at the ends
      ...(index > 0 ? { previtem: items[index - 1] } : {}),
      ...(index < items.length - 1 ? { nextitem: items[index + 1] } : {}),
    };
  }
  return out;
}

/** The LoopTemplating of one host's (or item's) variables. */
export function loopTemplating(templar: Templar, vars: VarSource, where: SourceLoc): LoopTemplating {
  return {
    template: (v) => templar.template(v, vars, { where }),
    lookup: (name, terms) => templar.loopLookup(name, terms, vars, { where }),
  };
}

function asItemsList(v: unknown, where: SourceLoc, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (what === 'loop') {
    // ansible's exact task failure message (TaskExecutor._get_loop_items), no source location
    const shown = typeof v === 'string' ? v : pythonRepr(v);
    throw new TsplayError('loop', `Invalid data passed to 'loop', it requires a list, got this instead: ${shown}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`);
  }
  throw new TsplayError('loop', `Invalid data passed to '${what}', it requires a list, got this instead: ${JSON.stringify(v)}.`, {
    where,
    hint: what === 'loop' ? 'use "loop: \"{{ mydict | dict2items }}\"" for a mapping' : 'give a list',
  });
}

/** The items of `loop:` or `with_<lookup>:` for one host, templated with its variables. */
export function loopItems(task: TaskNode, t: LoopTemplating): unknown[] {
  const where = task.loc;
  const lookup = task.loopLookup;
  if (lookup === undefined) return asItemsList(t.template(task.loop), where, 'loop');
  const terms = t.template(typeof task.loop === 'string' ? task.loop.trim() : task.loop);
  // like ansible's indexed_items and list lookups: a mapping is not a list
  if ((lookup === 'indexed_items' || lookup === 'list') && !Array.isArray(terms)) throw new TsplayError('loop', `with_${lookup} expects a list`);
  return t.lookup(lookup, terms);
}
