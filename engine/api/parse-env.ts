import { loadYamlFile, type LoadedYaml } from '../source/yaml-file.js';
import type { ParseEnv } from '../model/parse-env.js';
import { moduleTable } from '../modules/registry.js';
import type { Templar } from '../template/index.js';
import { LazyVars } from '../vars/var-source.js';
import type { VaultDecrypter } from '../types/vault.js';
import type { PyModuleRunner } from '../pymodules/index.js';

/** The ParseEnv of one run: module shapes from the registry, a YAML cache, static templating. */
export function createParseEnv(playbookDir: string, rolesPath: readonly string[], templar: Templar, vault?: VaultDecrypter, pyModules?: PyModuleRunner): ParseEnv {
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
      }
      return hit;
    },
  };
}
