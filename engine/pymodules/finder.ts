import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PySearchPaths } from './locations.js';
import { RouteBook } from './routing.js';

/** An ansible module file found on the controller, ready to be packed. */
export interface FoundModule {
  /** The name it answers to after redirects (ini_file -> community.general.ini_file). */
  readonly resolved: string;
  readonly file: string;
  /** The module's dotted name inside the payload, as AnsiballZ names it. */
  readonly fqn: string;
  /** Its collection's folder (ns/coll), for module_utils relative imports. */
  readonly collectionDir?: string;
  /** ansible would run this controller-side action plugin instead of the bare module. */
  readonly actionPlugin?: string;
}

/** Why a name found no module: a tombstone says more than "not found". */
export type FindResult = { readonly kind: 'found'; readonly module: FoundModule } | { readonly kind: 'missing' } | { readonly kind: 'removed'; readonly text: string };

const MAX_REDIRECTS = 10;

function fileIn(dirs: readonly string[], name: string): string | undefined {
  return dirs.map((d) => join(d, `${name}.py`)).find((f) => existsSync(f));
}

/** Library folders also hold modules without an extension (like ansible's module loader). */
function libraryFileIn(dirs: readonly string[], name: string): string | undefined {
  for (const d of dirs) {
    for (const f of [join(d, `${name}.py`), join(d, name)]) if (existsSync(f) && statSync(f).isFile()) return f;
  }
  return undefined;
}

/**
 * Finds a module the way ansible's module loader does: the playbook's and roles' library/,
 * the configured library paths, ansible-core's own modules, then ansible.builtin's routing;
 * a FQCN is looked up in the first collection root that has its collection, after its
 * meta/runtime.yml routing.
 */
export class PyModuleFinder {
  readonly #routes = new RouteBook();
  readonly #cache = new Map<string, FindResult>();

  constructor(private readonly paths: () => PySearchPaths) {}

  find(name: string, extraLibraryDirs: readonly string[] = []): FindResult {
    const key = `${name}\0${extraLibraryDirs.join('\0')}`;
    let hit = this.#cache.get(key);
    if (hit === undefined) {
      hit = this.#find(name, extraLibraryDirs, 0);
      this.#cache.set(key, hit);
    }
    return hit;
  }

  #find(name: string, extra: readonly string[], depth: number): FindResult {
    if (depth > MAX_REDIRECTS) return { kind: 'missing' };
    const parts = name.split('.');
    if (parts.length === 1) return this.#short(name, [...extra, ...this.paths().libraryDirs], depth);
    if (parts[0] === 'ansible' && parts[1] === 'legacy') return this.#short(parts.slice(2).join('.'), [...extra, ...this.paths().libraryDirs], depth);
    if (parts[0] === 'ansible' && parts[1] === 'builtin') return this.#short(parts.slice(2).join('.'), [], depth);
    if (parts.length < 3) return { kind: 'missing' };
    return this.#collection(parts[0]!, parts[1]!, parts.slice(2).join('.'), extra, depth);
  }

  /** Short names: library folders (ansible.legacy), ansible-core, then the builtin routing table. */
  #short(name: string, libraryDirs: readonly string[], depth: number): FindResult {
    const lib = libraryFileIn(libraryDirs, name);
    if (lib !== undefined) return { kind: 'found', module: { resolved: name, file: lib, fqn: `ansible.modules.${name}` } };
    const core = this.paths().ansibleCoreDir;
    if (core === undefined) return { kind: 'missing' };
    const file = fileIn([join(core, 'modules')], name);
    if (file !== undefined) {
      const action = fileIn([join(core, 'plugins', 'action')], name);
      return { kind: 'found', module: { resolved: `ansible.builtin.${name}`, file, fqn: `ansible.modules.${name}`, ...(action ? { actionPlugin: action } : {}) } };
    }
    const route = this.#routes.builtin(core, name);
    if (route?.kind === 'redirect') return this.#find(route.target, [], depth + 1);
    if (route?.kind === 'tombstone') return { kind: 'removed', text: route.text };
    return { kind: 'missing' };
  }

  #collection(ns: string, coll: string, name: string, extra: readonly string[], depth: number): FindResult {
    const root = this.paths().collectionRoots.find((r) => existsSync(join(r, 'ansible_collections', ns, coll)));
    if (root === undefined) return { kind: 'missing' };
    const dir = join(root, 'ansible_collections', ns, coll);
    const route = this.#routes.collection(dir, name);
    if (route?.kind === 'redirect') return this.#find(route.target, extra, depth + 1);
    if (route?.kind === 'tombstone') return { kind: 'removed', text: route.text };
    const rel = name.split('.');
    const file = fileIn([join(dir, 'plugins', 'modules', ...rel.slice(0, -1))], rel[rel.length - 1]!);
    if (file === undefined) return { kind: 'missing' };
    const action = fileIn([join(dir, 'plugins', 'action')], rel[rel.length - 1]!);
    return {
      kind: 'found',
      module: {
        resolved: `${ns}.${coll}.${name}`,
        file,
        fqn: `ansible_collections.${ns}.${coll}.plugins.modules.${name}`,
        collectionDir: dir,
        ...(action ? { actionPlugin: action } : {}),
      },
    };
  }
}
