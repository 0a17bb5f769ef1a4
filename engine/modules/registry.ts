import type { ModuleDef } from '../types/module.js';

/**
 * Every module tsplay knows, by its short name; ansible.builtin.X and ansible.legacy.X resolve
 * to the same entry (see lookupModule). Add one import and one list entry per module file.
 */
const MODULES: readonly ModuleDef[] = [
];

export function buildModuleTable(mods: readonly ModuleDef[] = MODULES): ReadonlyMap<string, ModuleDef> {
  const table = new Map<string, ModuleDef>();
  for (const m of mods) {
    for (const name of [m.name, ...(m.aliases ?? [])]) {
      table.set(name, m);
      table.set(`ansible.builtin.${name}`, m);
      table.set(`ansible.legacy.${name}`, m);
    }
  }
  return table;
}

export const moduleTable: ReadonlyMap<string, ModuleDef> = buildModuleTable();

export function lookupModule(name: string): ModuleDef | undefined {
  return moduleTable.get(name);
}
