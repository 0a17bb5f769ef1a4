import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateShared, type Validity } from './issue.js';
import type { KeyedCert, SharedPki } from './plan-types.js';
import { CA_SPECS, type CaName } from './spec.js';

/**
 * The controller-side store of per-cluster material (generate once, distribute to every host):
 * STORE/<ca-name>/{ca.crt,ca.key} and STORE/sa/{sa.key,sa.pub}. Each item appears by renaming a
 * finished temp directory, so parallel hosts (forks) racing to create it all end up with the
 * same winner and nobody ever reads half an item.
 */

export interface Seeds {
  /** CAs (with keys) found on the host: an existing cluster seeds the store instead of a new CA. */
  readonly cas: ReadonlyMap<CaName, KeyedCert>;
  readonly sa?: { readonly keyPem: string; readonly pubPem: string };
}

type Item = { kind: 'ca'; name: CaName } | { kind: 'sa' };
const ITEMS: readonly Item[] = [...CA_SPECS.map((c) => ({ kind: 'ca' as const, name: c.name })), { kind: 'sa' }];
const itemDir = (it: Item): string => (it.kind === 'ca' ? it.name : 'sa');
const fileNames = (it: Item): [string, string] => (it.kind === 'ca' ? ['ca.crt', 'ca.key'] : ['sa.pub', 'sa.key']);

/** Loads the store, creating missing items from seeds or fresh keys; `persist: false` (check mode) writes nothing. */
export async function ensureShared(storeDir: string, seeds: Seeds, v: Validity, now: Date, persist: boolean): Promise<SharedPki> {
  const loaded = await Promise.all(ITEMS.map((it) => readItem(storeDir, it)));
  const needFresh = loaded.some((l, i) => l === undefined && seedFor(ITEMS[i] as Item, seeds) === undefined);
  const fresh = needFresh ? await generateShared(v, now) : undefined;
  const final = await Promise.all(ITEMS.map(async (it, i) => {
    const have = loaded[i];
    if (have) return have;
    const made = seedFor(it, seeds) ?? seedFor(it, fresh ? { cas: fresh.cas, sa: fresh.sa } : { cas: new Map() });
    if (!made) throw new Error(`internal: nothing to store for ${itemDir(it)}`);
    return persist ? publishItem(storeDir, it, made) : made;
  }));
  const cas = new Map<CaName, KeyedCert>();
  ITEMS.forEach((it, i) => {
    const pair = final[i] as [string, string];
    if (it.kind === 'ca') cas.set(it.name, { certPem: pair[0], keyPem: pair[1] });
  });
  const sa = final[ITEMS.length - 1] as [string, string];
  return { cas, sa: { pubPem: sa[0], keyPem: sa[1] } };
}

function seedFor(it: Item, seeds: Seeds): [string, string] | undefined {
  if (it.kind === 'sa') return seeds.sa ? [seeds.sa.pubPem, seeds.sa.keyPem] : undefined;
  const ca = seeds.cas.get(it.name);
  return ca ? [ca.certPem, ca.keyPem] : undefined;
}

async function readItem(storeDir: string, it: Item): Promise<[string, string] | undefined> {
  const [a, b] = fileNames(it);
  try {
    return [await readFile(join(storeDir, itemDir(it), a), 'utf8'), await readFile(join(storeDir, itemDir(it), b), 'utf8')];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function publishItem(storeDir: string, it: Item, pair: [string, string]): Promise<[string, string]> {
  await mkdir(storeDir, { recursive: true, mode: 0o700 });
  const tmp = await mkdtemp(join(storeDir, `.${itemDir(it)}-`));
  const [a, b] = fileNames(it);
  await writeFile(join(tmp, a), pair[0], { mode: 0o644 });
  await writeFile(join(tmp, b), pair[1], { mode: 0o600 });
  try {
    await rename(tmp, join(storeDir, itemDir(it)));
    return pair;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    await rm(tmp, { recursive: true, force: true });
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    const winner = await readItem(storeDir, it);
    if (!winner) throw e;
    return winner;
  }
}
