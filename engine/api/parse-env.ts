import { duplicateKeyWarning, loadYamlFile, type LoadedYaml } from '../source/yaml-file.js';
import type { ParseEnv } from '../model/parse-env.js';
import { moduleTable } from '../modules/registry.js';
import type { Templar } from '../template/index.js';
import { LazyVars } from '../vars/var-source.js';
import type { VaultDecrypter } from '../types/vault.js';
import type { PyModuleRunner } from '../pymodules/index.js';

/** The ParseEnv of one run: module shapes from the registry, a YAML cache, static templating. */
/** Where a run's parsing gets vaulted values, modules tsplay runs through Python, and its warnings. */
export interface ParseEnvOptions {
  readonly vault?: VaultDecrypter;
  readonly pyModules?: PyModuleRunner;
  readonly warn?: (message: string) => void;
}

export function createParseEnv(playbookDir: string, rolesPath: readonly string[], templar: Templar, opts: ParseEnvOptions = {}): ParseEnv {
  const { vault, pyModules } = opts;
  const warn = opts.warn ?? (() => undefined);
  const cache = new Map<string, LoadedYaml>();
  return {
    vault,
    playbookDir,
    rolesPath,
    moduleShape: (name, libraryDirs = []) => {
      const m = moduleTable.get(name);
      if (m !== undefined) return { freeForm: m.freeForm === true };
      // like ansible: a module it would find anywhere is no load-time error (engine/pymodules runs it)
      return pyModules?.find(name, libraryDirs).kind === 'found' ? { freeForm: false } : undefined;
    },
    moduleNames: () => moduleTable.keys(),
    templateStatic: (text, where, vars = {}) => {
      if (!templar.isTemplate(text)) return text;
      return String(templar.template(text, new LazyVars([{ layer: 'extra_vars', source: 'static', vars }], templar), { where }));
    },
    loadYaml: (file) => {
      let hit = cache.get(file);
      if (hit === undefined) {
        hit = loadYamlFile(file, vault);
        cache.set(file, hit);
        for (const d of hit.duplicates) warn(duplicateKeyWarning(file, d));
      }
      return hit;
    },
  };
}
