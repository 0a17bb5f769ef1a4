import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FactCacheOptions {
  /** fact_caching_connection: the directory holding one file per host. */
  readonly dir: string;
  /** fact_caching_timeout in seconds; 0 means entries never expire (ansible's meaning). */
  readonly timeoutSec: number;
  /** fact_caching_prefix: prepended to each host's file name. */
  readonly prefix?: string;
  /** Clock in ms, injectable for tests. */
  readonly now?: () => number;
  /** Masks secrets (vault values) before anything reaches the disk. */
  readonly scrub?: (value: unknown) => unknown;
}

/** Keys setup returns without the ansible_ prefix, and that ansible stores that way too. */
const UNPREFIXED = new Set(['gather_subset', 'module_setup', 'discovered_interpreter_python']);

function toCached(facts: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) out[UNPREFIXED.has(k) || k.startsWith('ansible_') ? k : `ansible_${k}`] = v;
  return out;
}

function fromCached(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k.replace(/^ansible_/, ''), v]));
}

function sortedJson(value: unknown): string {
  // Like ansible's jsonfile plugin: json.dumps(sort_keys=True, indent=4).
  const sortKeys = (_k: string, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v;
  return JSON.stringify(value, sortKeys, 4);
}

/**
 * ansible's jsonfile fact cache: one JSON file per host with ansible_-prefixed facts, valid
 * for timeoutSec after its last write (file mtime). A `--limit` run reads other hosts' facts
 * from here. Files written by ansible-playbook are read as they are, and vice versa.
 */
export class JsonFileFactCache {
  constructor(private readonly opts: FactCacheOptions) {}

  #file(host: string): string {
    if (host.includes('/') || host === '..' || host === '.') throw new Error(`invalid host name for the fact cache: ${host}`);
    return join(this.opts.dir, `${this.opts.prefix ?? ''}${host}`);
  }

  /** The host's facts without the ansible_ prefix, or undefined when absent, expired or unreadable. */
  async load(host: string): Promise<Record<string, unknown> | undefined> {
    const file = this.#file(host);
    try {
      const st = await stat(file);
      const now = this.opts.now?.() ?? Date.now();
      if (this.opts.timeoutSec > 0 && now - st.mtimeMs > this.opts.timeoutSec * 1000) return undefined;
      const data = JSON.parse(await readFile(file, 'utf8')) as unknown;
      if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
      return fromCached(data as Record<string, unknown>);
    } catch {
      return undefined; // like ansible: a missing or corrupt entry is a cache miss, not an error
    }
  }

  /** Writes atomically (temp file + rename) so a parallel reader never sees half a file. */
  async save(host: string, facts: Readonly<Record<string, unknown>>): Promise<void> {
    const file = this.#file(host);
    // facts hold ansible_env and more: owner-only, like ansible's jsonfile cache
    await mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      await writeFile(tmp, sortedJson(this.opts.scrub ? this.opts.scrub(toCached(facts)) : toCached(facts)), { mode: 0o600 });
      await chmod(tmp, 0o600); // writeFile's mode passes through the umask
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async remove(host: string): Promise<void> {
    await rm(this.#file(host), { force: true });
  }
}
