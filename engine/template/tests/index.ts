import type { TestFn } from '../runtime.js';
import { typeTests } from './types.js';
import { compareTests } from './compare.js';
import { versionTests } from './version.js';
import { resultTests } from './results.js';
import { pathTests } from './paths.js';
import { miscTests } from './misc.js';

const PREFIXES = ['ansible.builtin.'];

export function buildTests(): Map<string, TestFn> {
  const all = { ...typeTests, ...compareTests, ...versionTests, ...resultTests, ...pathTests, ...miscTests };
  const table = new Map<string, TestFn>();
  // Jinja2's `filter` / `test` tests: is there a filter / test of that name
  table.set('test', (name) => table.has(String(name)));
  for (const [name, fn] of Object.entries(all)) {
    table.set(name, fn);
    for (const p of PREFIXES) table.set(p + name, fn);
  }
  return table;
}
