import { TsplayError } from '../errors/index.js';
import type { BecomeSpec, Connection } from '../types/connection.js';
import { dateTimeFacts } from './date-time.js';
import { cpuFacts, memoryFacts, mountFacts, uptimeFacts } from './parse-hardware.js';
import { cmdlineFacts, dmiFacts, loadavgFacts, sshHostKeyFacts, userspaceBitsFacts } from './parse-extra.js';
import { networkFacts } from './parse-network.js';
import { capabilityFacts, chrootFacts, distributionFileFacts, pythonFacts, storageIdFacts } from './parse-runtime.js';
import * as sys from './parse-system.js';
import { virtualFacts } from './parse-virtual.js';
import { factScript, splitSections, type FactArea } from './script.js';
import { applyFilter, resolveSubset } from './subset.js';

export interface GatherOptions {
  /** gather_subset: all (default), min, network, hardware, virtual, !name. */
  readonly subset?: readonly string[];
  /** setup's filter: globs on ansible_-prefixed names. */
  readonly filter?: readonly string[];
  readonly become?: BecomeSpec;
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** Turns the script's sections into facts (no ansible_ prefix), only for the areas asked. */
export function parseFacts(output: string, areas: ReadonlySet<FactArea>): Record<string, unknown> {
  const s = splitSections(output);
  const dist = sys.distributionFacts(s);
  let facts: Record<string, unknown> = {};
  if (areas.has('min')) {
    const platform = sys.platformFacts(s);
    facts = {
      ...platform,
      ...userspaceBitsFacts(String(platform.machine)),
      ...cmdlineFacts(s),
      ...sshHostKeyFacts(s),
      local: {}, // facts.d is not read: no custom local facts
      ...dist,
      ...sys.lsbFacts(s, dist),
      ...sys.userFacts(s),
      ...sys.envFacts(s),
      ...dateTimeFacts(s),
      ...sys.dnsFacts(s),
      ...sys.selinuxFacts(s),
      ...sys.serviceMgrFacts(s),
      ...sys.pkgMgrFacts(s, String(dist.os_family)),
      ...sys.miscFacts(s),
      ...pythonFacts(s),
      ...capabilityFacts(s),
      ...distributionFileFacts(s, dist),
    };
    // ansible-core 2.14 reports loadavg for 'all' and 'all,!hardware' but not for 'min' or
    // '!all,network': it belongs to no named subset, so only a broad gather gets it.
    // chroot is one of those too (ansible's _restrictive collectors, outside 'min')
    if (areas.has('network') && areas.has('virtual')) Object.assign(facts, loadavgFacts(s), chrootFacts(s));
  }
  // iscsi, nvme and fibre channel ids are network collectors in ansible
  if (areas.has('network')) Object.assign(facts, networkFacts(s), storageIdFacts(s));
  if (areas.has('hardware')) Object.assign(facts, memoryFacts(s), cpuFacts(s), mountFacts(s), uptimeFacts(s), dmiFacts(s));
  if (areas.has('virtual')) Object.assign(facts, virtualFacts(s));
  // Like ansible's fact namespace: '-' in a fact name becomes '_' (interface br-1a2b → br_1a2b).
  return Object.fromEntries(Object.entries(facts).map(([k, v]) => [k.replace(/-/g, '_'), v]));
}

/**
 * gather_facts / setup in one round trip: one POSIX sh script on the host's stdin, parsed
 * on the controller. Returns the ansible_facts dict (names without the ansible_ prefix).
 */
export async function gatherFacts(conn: Connection, opts: GatherOptions = {}): Promise<Record<string, unknown>> {
  const areas = resolveSubset(opts.subset);
  const res = await conn.exec({ command: '/bin/sh -s', stdin: factScript(areas), become: opts.become, env: opts.env, timeoutMs: opts.timeoutMs });
  if (!res.stdout.includes('@@tsplay-facts@@')) {
    throw new TsplayError('facts', `fact gathering on ${conn.hostName} produced no output (rc=${res.rc}): ${res.stderr.trim()}`);
  }
  const facts = parseFacts(res.stdout, areas);
  if (opts.filter && opts.filter.length > 0) return applyFilter(facts, opts.filter);
  return { ...facts, gather_subset: [...(opts.subset ?? ['all'])], module_setup: true };
}
