import { join } from 'node:path';
import { PyModuleFinder } from './finder.js';
import { probePySearchPaths, type PyPathSettings, type PySearchPaths } from './locations.js';
import { ModulePacker } from './packer.js';
import { PyModuleRunner } from './runner.js';

export type { FindResult, FoundModule } from './finder.js';
export type { PyPathSettings } from './locations.js';
export { defaultCollectionsPaths } from './locations.js';
export { PyModuleRunner } from './runner.js';

/**
 * The Python module path of one run. Python's sys.path is probed on first use only, so runs
 * whose modules are all native never start a Python process on the controller.
 */
export function createPyModules(cfg: PyPathSettings, env: NodeJS.ProcessEnv): PyModuleRunner {
  const probed: { paths?: PySearchPaths } = {};
  const paths = (): PySearchPaths => (probed.paths ??= probePySearchPaths(cfg, env));
  return new PyModuleRunner(new PyModuleFinder(paths), new ModulePacker(paths));
}

/** The library/ folders next to a playbook and in each role of a chain (innermost first), like ansible. */
export function adjacentLibraryDirs(playbookDirs: readonly string[], rolePaths: readonly string[]): string[] {
  return [...rolePaths.map((r) => join(r, 'library')), ...playbookDirs.map((d) => join(d, 'library'))].filter((d, i, all) => all.indexOf(d) === i);
}
