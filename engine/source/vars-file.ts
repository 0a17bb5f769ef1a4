import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../errors/index.js';
import type { VaultDecrypter } from '../types/vault.js';
import { loadYamlFile } from './yaml-file.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/**
 * `listOfMappings`: like ansible's preprocess_vars for vars_files, a list of mappings is merged;
 * `vault` decrypts a vaulted file and !vault values.
 */
export function loadVarsFile(file: string, opts: { listOfMappings?: boolean; vault?: VaultDecrypter } = {}): Record<string, unknown> {
  const loaded = loadYamlFile(file, opts.vault);
  if (loaded.value === null || loaded.value === undefined) return {};
  if (opts.listOfMappings && Array.isArray(loaded.value) && loaded.value.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
    return Object.assign({}, ...(loaded.value as Record<string, unknown>[]));
  }
  if (typeof loaded.value !== 'object' || Array.isArray(loaded.value)) {
    throw new ParseError(`vars file ${file} must contain a mapping of variable names to values`, {
      where: { file, line: 1, col: 1 },
      hint: 'write "name: value" lines at the top level',
    });
  }
  return loaded.value as Record<string, unknown>;
}

/**
 * Loads `base`, `base.yml`, `base.yaml`, `base.json` or the folder `base/` (its files in sorted
 * order, later files overriding earlier keys), like role defaults/main and group_vars/NAME.
 * Returns undefined when nothing exists.
 */
export function loadVarsEntry(base: string, vault?: VaultDecrypter): Record<string, unknown> | undefined {
  for (const ext of EXTENSIONS) {
    const p = base + ext;
    if (!existsSync(p)) continue;
    const st = statSync(p);
    if (st.isFile()) return loadVarsFile(p, { vault });
    if (st.isDirectory() && ext === '') return loadVarsFolder(p, vault);
  }
  return undefined;
}

function loadVarsFolder(dir: string, vault?: VaultDecrypter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) Object.assign(out, loadVarsFolder(p, vault));
    else if (/\.(ya?ml|json)$/.test(name) || !name.includes('.')) Object.assign(out, loadVarsFile(p, { vault }));
  }
  return out;
}

/** Finds `base` with one of the task-file extensions (tasks/main, tasks/main.yml ...). */
export function findWithExtension(base: string): string | undefined {
  for (const ext of ['.yml', '.yaml', '', '.json']) {
    const p = base + ext;
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return undefined;
}
