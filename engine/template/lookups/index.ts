import { TemplateError, TsplayError } from '../../errors/index.js';
import type { RenderInfo } from '../context.js';
import { splitArgs } from '../python/args.js';
import { truthy } from '../python/ops.js';
import { PlainLookupError, type LookupFn } from './lookup-fn.js';
import { fileLookups } from './files.js';
import { dataLookups } from './data.js';
import { loopLookups } from './loops.js';
import { passwordLookups } from './password.js';

// the types live in their own file so that the lookup families do not import this index (no cycle)
export { PlainLookupError, type LookupFn } from './lookup-fn.js';

export function buildLookups(): Map<string, LookupFn> {
  const table = new Map<string, LookupFn>();
  for (const [name, fn] of Object.entries({ ...fileLookups, ...dataLookups, ...loopLookups, ...passwordLookups })) {
    table.set(name, fn);
    table.set(`ansible.builtin.${name}`, fn);
  }
  return table;
}

/**
 * lookup() joins a list of strings with commas (a single non-string comes back as is);
 * query()/q() and wantlist=True return the list. errors='ignore'/'warn' turn failures into [].
 */
export function runLookup(table: ReadonlyMap<string, LookupFn>, info: RenderInfo, args: unknown[], wantList: boolean): unknown {
  const { pos, kw } = splitArgs(args);
  const name = String(pos[0]);
  const fn = table.get(name);
  if (!fn) throw new TemplateError(`lookup plugin (${name}) not found`, { hint: 'tsplay implements env, file, template, vars, first_found, items, lines, indexed_items, dict, sequence, password' });
  const { wantlist, errors, ...rest } = kw;
  let ran: unknown[];
  try {
    // like ansible's Templar._lookup: the terms are templated first (listify_lookup_plugin_terms)
    ran = fn(pos.slice(1).map((t) => info.template(t)), rest, info);
  } catch (e) {
    if (errors === 'ignore' || errors === 'warn') return wantList || truthy(wantlist ?? false) ? [] : null;
    if (e instanceof TsplayError && !(e instanceof PlainLookupError)) {
      throw new TemplateError(
        `An unhandled exception occurred while running the lookup plugin '${name}'. Error was a <class 'ansible.errors.AnsibleError'>, original message: ${e.message}. ${e.message}`,
        { hint: e.hint, cause: e },
      );
    }
    throw e;
  }
  // like ansible: an empty result is returned as the empty list, even by lookup()
  if (wantList || truthy(wantlist ?? false) || ran.length === 0) return ran;
  if (ran.every((x) => typeof x === 'string')) return ran.join(',');
  return ran.length === 1 ? ran[0] : ran;
}
