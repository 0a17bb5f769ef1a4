import type { FilterFn } from '../runtime.js';
import { coreFilters } from './core.js';
import { stringFilters } from './strings.js';
import { regexFilters } from './regex.js';
import { listFilters } from './lists.js';
import { selectFilters } from './select.js';
import { dictFilters } from './dicts.js';
import { serializeFilters } from './serialize.js';
import { encodeFilters } from './encode.js';
import { pathFilters } from './paths.js';
import { netFilters } from './net.js';
import { mathFilters } from './math.js';
import { timeFilters } from './time.js';
import { jinjaExtraFilters } from './jinja-extra.js';
import { ansibleExtraFilters } from './ansible-extra.js';
import { passwordHashFilters } from './password-hash.js';
import { x509Filters } from './x509.js';
import { commentFilters } from './comment.js';
import type { FilterHelpers } from './types.js';

/** Collection prefixes ansible accepts for the same filters (FQCN names in roles). */
const PREFIXES = ['ansible.builtin.', 'ansible.utils.', 'ansible.netcommon.', 'community.general.'];

export function buildFilters(h: FilterHelpers): Map<string, FilterFn> {
  const all = {
    ...coreFilters, ...stringFilters, ...regexFilters, ...listFilters, ...selectFilters(h),
    ...dictFilters, ...serializeFilters, ...encodeFilters, ...pathFilters, ...netFilters, ...mathFilters, ...timeFilters, ...jinjaExtraFilters, ...ansibleExtraFilters, ...passwordHashFilters, ...x509Filters, ...commentFilters,
  };
  const table = new Map<string, FilterFn>();
  for (const [name, fn] of Object.entries(all)) {
    table.set(name, fn);
    for (const p of PREFIXES) table.set(p + name, fn);
  }
  return table;
}

export type { FilterHelpers } from './types.js';
