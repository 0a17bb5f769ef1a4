import { duplicateKeyWarning, loadYamlFile, type LoadedYaml } from '../source/yaml-file.js';
import type { ParseEnv } from '../model/parse-env.js';
import { moduleTable } from '../modules/registry.js';
import type { Templar } from '../template/index.js';
import { LazyVars } from '../vars/var-source.js';

/** The ParseEnv of one run: module shapes from the registry, a YAML cache, static templating. */
export function createParseEnv(playbookDir: string, rolesPath: readonly string[], templar: Templar, warn: (message: string) => void = () => undefined): ParseEnv {
  const cache = new Map<string, LoadedYaml>();
  return {
    playbookDir,
    rolesPath,
    moduleShape: (name) => {
      const m = moduleTable.get(name);
      return m === undefined ? undefined : { freeForm: m.freeForm === true };
    },
    moduleNames: () => moduleTable.keys(),
    templateStatic: (text, where, vars = {}) => {
      if (!templar.isTemplate(text)) return text;
      return String(templar.template(text, new LazyVars([{ layer: 'extra_vars', source: 'static', vars }], templar), { where }));
    },
    loadYaml: (file) => {
      let hit = cache.get(file);
      if (hit === undefined) {
        hit = loadYamlFile(file);
        cache.set(file, hit);
        for (const d of hit.duplicates) warn(duplicateKeyWarning(file, d));
      }
      return hit;
    },
  };
}
