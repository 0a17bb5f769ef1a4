import { mirrorProblems, type PinnedFile } from './mirror-check.js';
import type { Problem } from './problems.js';
import { whereSet } from './provenance.js';
import { schemaProblems } from './schema.js';
import { cidrProblems, groupProblems, versionProblems, type NodeAddr } from './semantic.js';

export interface ClusterInput {
  readonly groups: Readonly<Record<string, readonly string[]>>;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly nodes: readonly NodeAddr[];
  /** Pinned files to hash on the mirror (empty: not checked). */
  readonly files: readonly PinnedFile[];
  /** Where mirror hashes are remembered between runs (none: hash every file every time). */
  readonly hashCacheFile?: string;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Every problem: schema first; semantic checks only on settings whose shape is right; the mirror last. */
export async function clusterProblems(input: ClusterInput): Promise<Problem[]> {
  const s = input.settings;
  const schema = schemaProblems(s);
  const bad = new Set(schema.map((p) => p.subject));
  const ok = (k: string): boolean => !bad.has(k);
  const out = [...schema, ...groupProblems(input.groups, str(s.etcd_deployment_type))];
  if (ok('kube_service_addresses') && ok('kube_pods_subnet')) {
    out.push(...cidrProblems(str(s.kube_service_addresses), str(s.kube_pods_subnet), Number(s.kube_network_node_prefix ?? 24), input.nodes));
  }
  if (ok('kube_version')) out.push(...versionProblems(str(s.kube_version), str(s.kube_version_min_required), str(s.kube_version_max_supported)));
  // Hash the mirror only when the rest is right: a wrong inventory is the first thing to fix.
  if (out.length === 0 && input.files.length > 0) out.push(...(await mirrorProblems(input.files, input.hashCacheFile)));
  return out;
}

/** One message for all problems, each naming the variable (or group) and where the inventory sets it. */
export function renderProblems(problems: readonly Problem[], inventoryFile: string | undefined, inventoryDir: string | undefined, heading = 'the inventory is not valid'): string {
  const lines = problems.map((p) => {
    const where = whereSet(p.subject, inventoryFile, inventoryDir);
    const at = where.length > 0 ? ` (${where.join(', ')})` : ' (not set in the inventory: the default applies)';
    return `  - ${p.subject}${at}: ${p.message}${p.hint ? `; ${p.hint}` : ''}`;
  });
  const n = problems.length;
  return [`${heading} (${n} problem${n === 1 ? '' : 's'}); no host was changed:`, ...lines].join('\n');
}
