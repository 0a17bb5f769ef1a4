import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadVarsFile } from '../source/vars-file.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { ModuleArgsError, TsplayError } from '../errors/index.js';
import { fnmatch } from '../python/fnmatch.js';
import { mergeHash } from '../python/merge-hash.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** dir options of ansible's include_vars (extensions, ignore_files, ignore_unknown_extensions). */
interface DirFilter {
  readonly extensions: readonly string[];
  readonly ignore: readonly string[];
  readonly ignoreUnknown: boolean;
  readonly match?: RegExp;
}

/** Python's os.path.splitext extension without the dot ('' for none; .bashrc has none). */
function extOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i <= 0 ? '' : name.slice(i + 1);
}

function filesIn(dir: string, depth: number, f: DirFilter, level = 1): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (depth === 0 || level < depth) out.push(...filesIn(p, depth, f, level + 1));
      continue;
    }
    if (f.ignore.some((g) => fnmatch(name, g)) || (f.match && !f.match.test(name))) continue;
    if (f.extensions.includes(extOf(name))) out.push(p);
    else if (!f.ignoreUnknown) throw new ModuleArgsError(`${p} does not have a valid extension: ${f.extensions.join(', ')}`);
  }
  return out;
}

function dirFilter(a: Readonly<Record<string, unknown>>): DirFilter {
  const list = (v: unknown, dflt: string[]) => (v === undefined || v === null ? dflt : Array.isArray(v) ? v.map(String) : String(v).split(/\s+/));
  return {
    extensions: list(a.extensions, ['yaml', 'yml', 'json']),
    ignore: list(a.ignore_files, []),
    ignoreUnknown: a.ignore_unknown_extensions === true || String(a.ignore_unknown_extensions).toLowerCase() === 'true',
    match: a.files_matching ? new RegExp(String(a.files_matching)) : undefined,
  };
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
    try {
      return loadAll(ctx);
    } catch (e) {
      // like ansible's include_vars action: the error is both msg and message
      if (!(e instanceof TsplayError)) throw e;
      return { changed: false, failed: true, msg: e.message, message: e.message };
    }
  },
};

function loadAll(ctx: ModuleContext): ModuleResult {
  const a = ctx.args;
  let files: string[];
  if (a.dir !== undefined) {
    const dir = ctx.findFile('vars', String(a.dir));
    files = filesIn(dir, Number(a.depth ?? 0), dirFilter(a));
  } else {
    // like ansible's include_vars action: free-form text loses its trailing newlines (`include_vars: >`)
    const name = String(a.file ?? String(a._raw_params ?? '').replace(/\n+$/, ''));
    // like ansible's _find_needle on an empty name
    if (name === '') return { changed: false, failed: true, msg: 'Could not find file', message: 'Could not find file' };
    files = [ctx.findFile('vars', name)];
  }
  let vars: Record<string, unknown> = {};
  for (const f of files) vars = { ...vars, ...loadVarsFile(f, { vault: ctx.vault }) };
  if (a.name !== undefined) vars = { [String(a.name)]: vars };
  // like ansible's include_vars hash_behaviour=merge: mappings merge into the visible values
  if (a.hash_behaviour === 'merge') {
    vars = Object.fromEntries(Object.entries(vars).map(([k, v]) => {
      const old = ctx.vars[k];
      return [k, isPlainObject(old) && isPlainObject(v) ? mergeHash(old, v) : v];
    }));
  }
  return { changed: false, ansible_facts: vars, ansible_included_var_files: files, effects: [{ kind: 'include_vars', vars }] };
}
