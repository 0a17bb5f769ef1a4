import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModulePackError } from './errors.js';
import type { FoundModule } from './finder.js';
import { findImports, type PyImport } from './imports.js';
import type { PySearchPaths } from './locations.js';

/** Files of one module's payload, keyed by their path inside it (ansible/module_utils/basic.py). */
export type PackedFiles = ReadonlyMap<string, string>;

interface Located {
  readonly parts: readonly string[];
  readonly path: string;
  readonly source: string;
  readonly isPackage: boolean;
}

// like AnsiballZ: ansible and ansible.module_utils are namespace-style stubs, not the controller's files
const STUBS: readonly [string, string][] = [
  ['ansible/__init__.py', 'from pkgutil import extend_path\n__path__=extend_path(__path__,__name__)\n__version__="2.14.18"\n__author__="Ansible, Inc."\n'],
  ['ansible/module_utils/__init__.py', 'from pkgutil import extend_path\n__path__=extend_path(__path__,__name__)\n'],
];

function sourceAt(dir: string, rel: readonly string[]): { file: string; isPackage: boolean } | undefined {
  const pkg = join(dir, ...rel, '__init__.py');
  if (existsSync(pkg)) return { file: pkg, isPackage: true };
  const mod = `${join(dir, ...rel)}.py`;
  return existsSync(mod) ? { file: mod, isPackage: false } : undefined;
}

/**
 * Packs a module with every module_utils file it imports, transitively, like ansible's
 * recursive_finder: ambiguous `from a.b import c` tries a.b.c then a.b; six's lazy submodules
 * are six itself; a missing import at the top level of a file is an error, a nested one is not.
 */
export class ModulePacker {
  constructor(private readonly paths: () => PySearchPaths) {}

  pack(mod: FoundModule): PackedFiles {
    const files = new Map<string, string>(STUBS);
    const done = new Set<string>(['ansible', 'ansible.module_utils']);
    const source = readFileSync(mod.file, 'utf8');
    const queue: PyImport[] = [...findImports(source, mod.fqn), { parts: ['ansible', 'module_utils', 'basic'], ambiguous: false, optional: false }];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (done.has(next.parts.join('.'))) continue;
      const hit = this.#locate(next);
      done.add(next.parts.join('.'));
      if (hit === undefined) {
        if (next.optional) continue;
        throw new ModulePackError(`Could not find imported module support code for ${mod.fqn}.  Looked for (${next.parts.join('.')})`, mod.file);
      }
      const name = hit.parts.join('.');
      if (files.has(hit.path)) continue;
      done.add(name);
      files.set(hit.path, hit.source);
      queue.push(...findImports(hit.source, name, hit.isPackage));
      for (let i = 1; i < hit.parts.length; i++) {
        queue.push({ parts: hit.parts.slice(0, i), ambiguous: false, optional: next.optional });
      }
    }
    files.set(`${mod.fqn.replace(/\./g, '/')}.py`, source);
    for (let i = 1; i < mod.fqn.split('.').length; i++) {
      const pkg = `${mod.fqn.split('.').slice(0, i).join('/')}/__init__.py`;
      if (!files.has(pkg)) files.set(pkg, '');
    }
    return files;
  }

  #locate(imp: PyImport): Located | undefined {
    const parts = imp.parts[0] === 'ansible' && imp.parts[2] === 'six' ? imp.parts.slice(0, 3) : imp.parts;
    const rest = parts[0] === 'ansible' ? parts.slice(2) : parts.slice(5);
    const candidates = imp.ambiguous && rest.length > 1 && parts === imp.parts ? [parts, parts.slice(0, -1)] : [parts];
    for (const c of candidates) {
      const hit = parts[0] === 'ansible' ? this.#legacy(c) : this.#collection(c);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  /** ansible.module_utils.X: configured module_utils folders, then ansible-core's. */
  #legacy(parts: readonly string[]): Located | undefined {
    const core = this.paths().ansibleCoreDir;
    const dirs = [...this.paths().moduleUtilsDirs, ...(core === undefined ? [] : [join(core, 'module_utils')])];
    for (const d of dirs) {
      const hit = sourceAt(d, parts.slice(2));
      if (hit !== undefined) return this.#located(parts, hit);
    }
    return undefined;
  }

  /** ansible_collections.ns.coll.plugins.module_utils.X; the levels above X are empty packages. */
  #collection(parts: readonly string[]): Located | undefined {
    if (parts.length < 6) return { parts, path: `${parts.join('/')}/__init__.py`, source: '', isPackage: true };
    const root = this.paths().collectionRoots.find((r) => existsSync(join(r, 'ansible_collections', parts[1]!, parts[2]!)));
    if (root === undefined) return undefined;
    const hit = sourceAt(join(root, 'ansible_collections', parts[1]!, parts[2]!), parts.slice(3));
    return hit === undefined ? undefined : this.#located(parts, hit);
  }

  #located(parts: readonly string[], hit: { file: string; isPackage: boolean }): Located {
    const path = `${parts.join('/')}${hit.isPackage ? '/__init__' : ''}.py`;
    return { parts, path, source: readFileSync(hit.file, 'utf8'), isPackage: hit.isPackage };
  }
}
