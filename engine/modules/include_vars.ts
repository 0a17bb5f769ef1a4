import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadVarsFile } from '../source/vars-file.js';
import type { ModuleDef } from '../types/module.js';

function filesIn(dir: string, depth: number, match?: RegExp, level = 1): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (depth === 0 || level < depth) out.push(...filesIn(p, depth, match, level + 1));
    } else if (/\.(ya?ml|json)$/.test(name) && (!match || match.test(name))) out.push(p);
  }
  return out;
}

/** include_vars: file or dir from the controller (role vars/ first), optionally under `name`. */
export const includeVarsModule: ModuleDef = {
  name: 'include_vars',
  controllerOnly: true,
  supportsCheck: true,
  freeForm: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      _raw_params: { type: 'string' }, file: { type: 'string' }, dir: { type: 'string' }, name: { type: 'string' },
      depth: { type: ['integer', 'string'] }, files_matching: { type: 'string' }, ignore_files: {}, extensions: {},
      ignore_unknown_extensions: {}, hash_behaviour: { type: 'string' },
    },
  },
  async run(ctx) {
    const a = ctx.args;
    let files: string[];
    if (a.dir !== undefined) {
      const dir = ctx.findFile('vars', String(a.dir));
      files = filesIn(dir, Number(a.depth ?? 0), a.files_matching ? new RegExp(String(a.files_matching)) : undefined);
    } else {
      const name = String(a.file ?? a._raw_params ?? '');
      if (name === '') return { changed: false, failed: true, msg: 'one of file, dir or a free-form path is required' };
      files = [ctx.findFile('vars', name)];
    }
    let vars: Record<string, unknown> = {};
    for (const f of files) vars = { ...vars, ...loadVarsFile(f, ctx.vault) };
    if (a.name !== undefined) vars = { [String(a.name)]: vars };
    return { changed: false, ansible_facts: vars, ansible_included_var_files: files, effects: [{ kind: 'include_vars', vars }] };
  },
};
