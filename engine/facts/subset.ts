import { fnmatchRegex } from '../python/fnmatch.js';
import { ModuleArgsError } from '../errors/index.js';
import type { FactArea } from './script.js';

const AREAS: readonly FactArea[] = ['min', 'network', 'hardware', 'virtual'];

/** Collector names ansible accepts inside gather_subset that belong to the 'min' area here. */
const MIN_COLLECTORS = new Set([
  'apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb',
  'pkg_mgr', 'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user',
]);

function areaOf(name: string): FactArea | 'all' | undefined {
  if (name === 'all' || (AREAS as readonly string[]).includes(name)) return name as FactArea | 'all';
  if (MIN_COLLECTORS.has(name)) return 'min';
  if (name === 'interfaces') return 'network';
  if (name === 'devices' || name === 'mounts') return 'hardware';
  return undefined;
}

/**
 * gather_subset like ansible: positive names add areas (none given means 'all'), `!name`
 * removes them, but an explicit positive wins over `!all` ('!all,network' = min + network).
 * 'min' stays unless '!min' is given.
 */
export function resolveSubset(subset: readonly string[] = ['all']): Set<FactArea> {
  const include = new Set<FactArea | 'all'>();
  const exclude = new Set<FactArea | 'all'>();
  for (const raw of subset.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '')) {
    const neg = raw.startsWith('!');
    const area = areaOf(neg ? raw.slice(1) : raw);
    if (area === undefined) {
      throw new ModuleArgsError(`Bad subset '${raw.replace(/^!/, '')}' given to Ansible. gather_subset options allowed: all, ${AREAS.join(', ')}`);
    }
    (neg ? exclude : include).add(area);
  }
  if (include.size === 0) include.add('all');
  include.add('min');
  const out = new Set<FactArea>();
  for (const a of include) for (const x of a === 'all' ? AREAS : [a]) out.add(x);
  for (const a of exclude) {
    for (const x of a === 'all' ? AREAS.filter((y) => y !== 'min') : [a]) if (!include.has(x) || x === 'min') out.delete(x);
  }
  return out;
}

/** setup's `filter`: fnmatch globs on the ansible_-prefixed names (an unprefixed glob works too). */
export function applyFilter(facts: Record<string, unknown>, filter: readonly string[] | undefined): Record<string, unknown> {
  const globs = (filter ?? []).flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f !== '' && f !== '*');
  if (globs.length === 0) return facts;
  const res = globs.map(fnmatchRegex);
  return Object.fromEntries(Object.entries(facts).filter(([k]) => res.some((r) => r.test(`ansible_${k}`) || r.test(k))));
}
