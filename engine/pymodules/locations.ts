import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/** Where ansible would look for Python modules and their module_utils on this controller. */
export interface PySearchPaths {
  /** ansible.cfg `library` / ANSIBLE_LIBRARY, after the playbook's and roles' own library/. */
  readonly libraryDirs: readonly string[];
  /** ansible.cfg `module_utils` / ANSIBLE_MODULE_UTILS. */
  readonly moduleUtilsDirs: readonly string[];
  /** Folders holding an `ansible_collections/` tree, in ansible's search order. */
  readonly collectionRoots: readonly string[];
  /** ansible-core's own package folder (…/ansible), when ansible is installed. */
  readonly ansibleCoreDir?: string;
}

/** The configured part (ansible.cfg and environment); Python's own paths are probed lazily. */
export interface PyPathSettings {
  readonly library: readonly string[];
  readonly moduleUtils: readonly string[];
  readonly collectionsPaths: readonly string[];
  /** ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: also search Python's sys.path (default true). */
  readonly scanSysPath: boolean;
}

/** ansible's default COLLECTIONS_PATHS. */
export function defaultCollectionsPaths(): string[] {
  return [join(homedir(), '.ansible', 'collections'), '/usr/share/ansible/collections'];
}

/** The interpreter ansible-playbook runs with (its shebang), then the system python. */
function controllerPythons(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const dir of (env.PATH ?? '').split(delimiter).filter((d) => d !== '')) {
    const exe = join(dir, 'ansible-playbook');
    if (!existsSync(exe)) continue;
    const first = readFileSync(exe, 'utf8').split('\n', 1)[0] ?? '';
    const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
    // "#!/usr/bin/env python3" names the interpreter in its argument
    if (m) out.push(m[1]!.endsWith('/env') && m[2] !== undefined ? m[2] : m[1]!);
    break;
  }
  out.push('/usr/bin/python3');
  return [...new Set(out)];
}

/** Python's sys.path of the controller's interpreters: one short process each, only when needed. */
function pythonSysPath(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  for (const py of controllerPythons(env)) {
    try {
      const text = execFileSync(py, ['-c', 'import sys,json;print(json.dumps(sys.path))'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
      for (const d of JSON.parse(text) as string[]) if (d !== '' && !dirs.includes(d)) dirs.push(d);
    } catch {
      // no such interpreter: ansible's collections and ansible-core are then simply not found
    }
  }
  return dirs;
}

/**
 * Like ansible's collection loader: configured COLLECTIONS_PATHS first, then every sys.path
 * entry (Debian's /usr/lib/python3/dist-packages holds the `ansible` collections); roots
 * count only when they hold an ansible_collections folder.
 */
export function probePySearchPaths(cfg: PyPathSettings, env: NodeJS.ProcessEnv): PySearchPaths {
  const sys = cfg.scanSysPath || cfg.collectionsPaths.length === 0 ? pythonSysPath(env) : [];
  const roots = [...cfg.collectionsPaths, ...(cfg.scanSysPath ? sys : [])]
    // like ansible: a path may name the ansible_collections folder itself
    .map((p) => resolve(p).replace(/\/ansible_collections\/?$/, ''))
    .filter((p, i, all) => all.indexOf(p) === i && existsSync(join(p, 'ansible_collections')));
  const core = sys.map((d) => join(d, 'ansible')).find((d) => existsSync(join(d, 'modules')) && existsSync(join(d, 'module_utils', 'basic.py')));
  return { libraryDirs: cfg.library, moduleUtilsDirs: cfg.moduleUtils, collectionRoots: roots, ansibleCoreDir: core };
}
