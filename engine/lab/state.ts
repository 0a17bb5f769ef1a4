import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TsplayError } from '../errors/index.js';
import type { LabKind } from './options.js';

/** One running lab host as recorded in state.json. */
export interface LabHostState {
  readonly name: string;
  readonly ip: string;
  readonly netns: string;
  readonly veth: string;
  /** PID of systemd-nspawn (systemd hosts) or of unshare (netns hosts). */
  readonly pid: number;
  /** Overlay mount point (systemd hosts' root); null for netns hosts. */
  readonly rootDir: string | null;
}

/** What `lab up` created, enough for `lab down` to undo it all and for others to connect. */
export interface LabState {
  readonly version: 1;
  readonly name: string;
  readonly kind: LabKind;
  readonly subnet: string;
  readonly bridge: string;
  readonly containers: boolean;
  readonly stateDir: string;
  readonly cacheDir: string;
  readonly privateKey: string;
  readonly knownHosts: string;
  readonly inventory: string;
  readonly createdAt: string;
  readonly hosts: readonly LabHostState[];
  /** The mirror host (`lab up --mirror`); absent or null without one. */
  readonly mirror?: LabHostState | null;
}

/** Every host the lab started, the mirror included (what `lab down` stops). */
export function allLabHosts(s: LabState): LabHostState[] {
  return [...s.hosts, ...(s.mirror ? [s.mirror] : [])];
}

export const STATE_FILE = 'state.json';

export function stateFilePath(stateDir: string): string {
  return join(stateDir, STATE_FILE);
}

/** Reads state.json; null when there is none (no lab, or never got that far). */
export async function readLabState(stateDir: string): Promise<LabState | null> {
  const path = stateFilePath(stateDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  return parseLabState(text, path);
}

/** Written to a temp file and renamed: a crash never leaves a torn state file. */
export async function writeLabState(state: LabState): Promise<void> {
  const path = stateFilePath(state.stateDir);
  await writeFile(`${path}.tmp`, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

type Checker = (v: unknown) => boolean;
const isStr: Checker = (v) => typeof v === 'string';
const isPid: Checker = (v) => Number.isInteger(v) && (v as number) > 0;
const isStrOrNull: Checker = (v) => v === null || typeof v === 'string';

const TOP_FIELDS: Record<string, Checker> = {
  name: isStr, kind: (v) => v === 'systemd' || v === 'netns', subnet: isStr, bridge: isStr,
  containers: (v) => typeof v === 'boolean', stateDir: isStr, cacheDir: isStr, privateKey: isStr,
  knownHosts: isStr, inventory: isStr, createdAt: isStr, hosts: Array.isArray,
};
const HOST_FIELDS: Record<string, Checker> = {
  name: isStr, ip: isStr, netns: isStr, veth: isStr, pid: isPid, rootDir: isStrOrNull,
};

/** Parses and checks state.json text; a damaged file is an error naming the bad field. */
export function parseLabState(text: string, path = STATE_FILE): LabState {
  const bad = (what: string): TsplayError => new TsplayError('lab', `damaged lab state ${path}: ${what}`, {
    hint: 'remove the lab with `tsplay lab down` (it also cleans up by name when the state is unreadable)',
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw bad(`not JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null) throw bad('not an object');
  const obj = data as Record<string, unknown>;
  if (obj.version !== 1) throw bad(`unknown version ${JSON.stringify(obj.version)}`);
  checkFields(obj, TOP_FIELDS, '', bad);
  (obj.hosts as unknown[]).forEach((h, i) => {
    if (typeof h !== 'object' || h === null) throw bad(`hosts[${i}] is not an object`);
    checkFields(h as Record<string, unknown>, HOST_FIELDS, `hosts[${i}].`, bad);
  });
  if (obj.mirror !== undefined && obj.mirror !== null) {
    if (typeof obj.mirror !== 'object') throw bad('mirror is not an object');
    checkFields(obj.mirror as Record<string, unknown>, HOST_FIELDS, 'mirror.', bad);
  }
  return obj as unknown as LabState;
}

function checkFields(obj: Record<string, unknown>, fields: Record<string, Checker>, prefix: string, bad: (w: string) => Error): void {
  for (const [key, ok] of Object.entries(fields)) {
    if (!ok(obj[key])) throw bad(`field ${prefix}${key} is missing or has a wrong type`);
  }
}
