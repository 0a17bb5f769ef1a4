/**
 * Runs the CLI bundle (dist/cli/main.cjs) with a V8 code cache (issue 17: start-up). Compiling
 * the ~1.8 MB bundle was most of what a run that does little paid for; with V8's serialized
 * code from an earlier run, node deserializes the functions that run instead of parsing and
 * compiling them. (Node 20 has no module.enableCompileCache and no code cache for ES modules:
 * that is why the bundle is CommonJS and is compiled here with vm.Script.)
 *
 * The cache is one file per installation, node and node flags in the user's cache directory
 * ($XDG_CACHE_HOME/tsplay or ~/.cache/tsplay, 0700; the file 0600, written to a temp file and
 * renamed), written when a run found none, V8 rejected it, or the run went further than the one
 * that wrote it (CacheCoverage). It holds the bundle's SHA-256 and
 * its own payload's: a cache of another bundle or a damaged file is ignored, as is one that is
 * not the user's own or that others may write (it is code). Any failure means no cache, never a
 * failed run. TSPLAY_NO_CODE_CACHE=1 turns it off.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** Format tag: a file of another layout is never read as this one. */
const MAGIC = Buffer.from('tsplay-v8-code-cache 2\n');
const DIGEST = 32;
/** Caches of other installations, nodes or flags not written for this long are removed (see prune). */
const UNUSED_MS = 30 * 24 * 3600 * 1000;

/** What the bundle exports (engine/cli/main.ts). */
export interface CliBundle {
  main(argv: string[], launch?: LaunchHooks): Promise<number>;
}

/** What the CLI tells its launcher about the run, for the cache. */
export interface LaunchHooks {
  /** A playbook ran (not --version, --help, --syntax-check or a --list-*). */
  ranPlaybook(): void;
}

/**
 * How much of the CLI the run that wrote a cache had compiled: V8 caches only the functions
 * compiled so far, so the cache of a `--version` run holds almost nothing a playbook run needs.
 * A cache is written again at the end of a run that went further than the one that wrote it.
 */
export type CacheCoverage = 'start-only' | 'playbook';

/** Least to most; the index is the byte on disk. */
const COVERAGES: readonly CacheCoverage[] = ['start-only', 'playbook'];

export interface CacheEntry {
  readonly coverage: CacheCoverage;
  readonly payload: Buffer;
}

function sha256(...parts: readonly (string | Buffer)[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest();
}

/** $XDG_CACHE_HOME/tsplay, else ~/.cache/tsplay (like most tools' caches on Linux). */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'tsplay');
}

/**
 * The cache file of this bundle under this node and these flags: V8 rejects code cached under
 * other flags, so runs with different NODE_OPTIONS keep a cache each instead of overwriting one.
 */
export function cacheFile(dir: string, bundlePath: string, env: NodeJS.ProcessEnv): string {
  const id = sha256(bundlePath, process.version, process.arch, process.execArgv.join(' '), env.NODE_OPTIONS ?? '');
  return join(dir, `${id.toString('hex').slice(0, 24)}.v8`);
}

/** Only a file of the user's own that nobody else may write is loaded as code. */
function ownedPrivately(path: string, isDir: boolean): boolean {
  const st = lstatSync(path);
  const mine = process.getuid === undefined || st.uid === process.getuid();
  return mine && (isDir ? st.isDirectory() : st.isFile()) && (st.mode & 0o022) === 0;
}

/**
 * The cached V8 data for the bundle whose hash is `key`, or undefined (none, stale or damaged).
 * Layout: MAGIC, key, SHA-256 of the rest, coverage byte, V8 data.
 */
export function readCache(file: string, key: Buffer): CacheEntry | undefined {
  try {
    if (!ownedPrivately(dirname(file), true) || !ownedPrivately(file, false)) return undefined;
    const data = readFileSync(file);
    const head = MAGIC.length + 2 * DIGEST;
    if (data.length <= head + 1 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    if (!data.subarray(MAGIC.length, MAGIC.length + DIGEST).equals(key)) return undefined;
    const rest = data.subarray(head);
    if (!data.subarray(MAGIC.length + DIGEST, head).equals(sha256(rest))) return undefined;
    const coverage = COVERAGES[rest[0]!];
    return coverage === undefined ? undefined : { coverage, payload: rest.subarray(1) };
  } catch {
    return undefined;
  }
}

/** Writes the cache whole or not at all (temp file + rename); failures are ignored. */
export function writeCache(file: string, key: Buffer, entry: CacheEntry, now = Date.now()): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!ownedPrivately(dirname(file), true)) return;
    const rest = Buffer.concat([Buffer.from([COVERAGES.indexOf(entry.coverage)]), entry.payload]);
    writeFileSync(tmp, Buffer.concat([MAGIC, key, sha256(rest), rest]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
    prune(dirname(file), now);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/**
 * Removes code caches (and temp files of interrupted writes) last written over 30 days ago: those
 * of removed checkouts or older nodes would otherwise stay forever. One still in use is written
 * again by its next run. Runs only when a cache is written, which is rare.
 */
function prune(dir: string, now: number): void {
  for (const name of readdirSync(dir)) {
    if (!/^[0-9a-f]{24}\.v8(\.[0-9]+\.tmp)?$/.test(name)) continue; // the directory holds other caches too
    const path = join(dir, name);
    if (now - lstatSync(path).mtimeMs > UNUSED_MS) rmSync(path, { force: true });
  }
}

/** Evaluates the CommonJS bundle at `bundlePath` like require() would, through the code cache. */
export function loadBundle(bundlePath: string, env: NodeJS.ProcessEnv = process.env): CliBundle {
  const bytes = readFileSync(bundlePath);
  const enabled = env.TSPLAY_NO_CODE_CACHE === undefined || env.TSPLAY_NO_CODE_CACHE === '' || env.TSPLAY_NO_CODE_CACHE === '0';
  const key = sha256(bytes);
  const file = enabled ? cacheFile(cacheDir(env), bundlePath, env) : undefined;
  const cached = file === undefined ? undefined : readCache(file, key);
  // the same wrapper as node's CommonJS loader, so the bundle sees require/module/__filename
  const source = `(function (exports, require, module, __filename, __dirname) { ${bytes.toString('utf8')}\n})`;
  const script = new Script(source, { filename: bundlePath, ...(cached !== undefined ? { cachedData: cached.payload } : {}) });
  let coverage: CacheCoverage = 'start-only';
  // at exit, the functions this run compiled are in the cache too (not only the top level), with
  // those it was loaded with: a run that went further than the cache's writer makes it whole
  if (file !== undefined) {
    process.once('exit', () => {
      if (cached === undefined || script.cachedDataRejected === true || COVERAGES.indexOf(coverage) > COVERAGES.indexOf(cached.coverage)) writeCache(file, key, { coverage, payload: script.createCachedData() });
    });
  }
  const module = { exports: {} as CliBundle };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  const cli = module.exports;
  return { main: (argv) => cli.main(argv, { ranPlaybook: () => (coverage = 'playbook') }) };
}
