import { defaultCacheFile } from '../cluster/hash-cache.js';
import { clusterProblems, renderProblems } from '../cluster/validate.js';
import type { PinnedFile } from '../cluster/mirror-check.js';
import type { NodeAddr } from '../cluster/semantic.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';

/**
 * cluster_validate: the first task of cluster.yml (run_once, on the controller): the merged
 * settings against a JSON schema, then semantic checks (groups, odd etcd count, CIDRs,
 * kube_version range, supported combinations) and, for air-gapped runs, the sha256 of every
 * pinned file on the mirror. All problems in one failure message naming each variable and
 * the inventory file:line that sets it, before any host is touched.
 */
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['groups', 'settings'],
  properties: {
    groups: { type: 'object' },
    settings: { type: 'object' },
    nodes: { type: 'array', items: { type: 'object', required: ['name', 'ip'], properties: { name: { type: 'string' }, ip: { type: 'string' } } } },
    /** Kubespray's downloads table: its enabled file entries are hashed on the mirror. */
    downloads: { type: 'object' },
  },
} as const;

const truthy = (v: unknown): boolean => v === true || ['true', 'yes', '1', 'on'].includes(String(v).toLowerCase());

function pinnedFiles(downloads: Record<string, Record<string, unknown>>): PinnedFile[] {
  return Object.entries(downloads)
    .filter(([, d]) => d.file !== undefined && truthy(d.file) && truthy(d.enabled))
    .map(([name, d]) => ({ name, url: String(d.url), checksum: String(d.checksum) }));
}

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const a = ctx.args;
  const problems = await clusterProblems({
    groups: a.groups as Record<string, string[]>,
    settings: a.settings as Record<string, unknown>,
    nodes: (a.nodes as NodeAddr[] | undefined) ?? [],
    files: pinnedFiles((a.downloads as Record<string, Record<string, unknown>> | undefined) ?? {}),
    hashCacheFile: defaultCacheFile(),
  });
  if (problems.length === 0) return { changed: false, msg: 'inventory is valid' };
  const file = typeof ctx.vars.inventory_file === 'string' ? ctx.vars.inventory_file : undefined;
  const dir = typeof ctx.vars.inventory_dir === 'string' ? ctx.vars.inventory_dir : undefined;
  return { changed: false, failed: true, msg: renderProblems(problems, file, dir), problems };
}

export const cluster_validate: ModuleDef = {
  name: 'cluster_validate',
  schema: SCHEMA,
  controllerOnly: true,
  supportsCheck: true,
  run,
};
