import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../errors/index.js';
import { loadYamlFile } from '../source/yaml-file.js';
import type { VaultDecrypter } from '../types/vault.js';
import type { VarsFile, VarsFolders } from './model.js';

/**
 * group_vars/ and host_vars/ of one folder, read like ansible's host_group_vars vars plugin:
 * for an entity NAME the first of NAME, NAME.yml, NAME.yaml, NAME.json that exists is used;
 * a folder NAME/ contributes every file in it (recursively, sorted, skipping hidden files and
 * ~ backups, keeping files with no extension or a YAML/JSON one); empty files are ignored.
 * Everything is read up front so the returned value is plain immutable data.
 */
const EXTENSIONS = ['', '.yml', '.yaml', '.json'] as const;

export function loadVarsFolders(dir: string, vault?: VaultDecrypter): VarsFolders {
  return Object.freeze({
    dir,
    groupEntries: readSubdir(dir, 'group_vars', vault),
    hostEntries: readSubdir(dir, 'host_vars', vault),
  });
}

/** Files that apply to a group (kind 'group') or a host (kind 'host') of this name. */
export function varsFilesFor(folders: VarsFolders, kind: 'group' | 'host', name: string): readonly VarsFile[] {
  const entries = kind === 'group' ? folders.groupEntries : folders.hostEntries;
  if (entries.size === 0) return [];
  for (const ext of EXTENSIONS) {
    const found = entries.get(name + ext);
    if (found instanceof ParseError) throw found;
    if (found !== undefined) return found;
  }
  return [];
}

function readSubdir(dir: string, sub: string, vault: VaultDecrypter | undefined): ReadonlyMap<string, readonly VarsFile[] | ParseError> {
  const base = join(dir, sub);
  const out = new Map<string, readonly VarsFile[] | ParseError>();
  if (!existsSync(base) || !statSync(base).isDirectory()) return out;
  for (const entry of readdirSync(base).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const full = join(base, entry);
    const rel = `${sub}/${entry}`;
    const files = statSync(full).isDirectory() ? dirFiles(full, rel) : [rel];
    try {
      const loaded = files.map((f) => loadVarsFile(dir, f, vault)).filter((f): f is VarsFile => f !== null);
      out.set(entry, Object.freeze(loaded));
    } catch (e) {
      // a README.md beside the vars is only an error if some host or group is named after it
      if (!(e instanceof ParseError)) throw e;
      out.set(entry, e);
    }
  }
  return out;
}

function dirFiles(full: string, rel: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(full).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const ext = extname(entry);
    const path = join(full, entry);
    const st = statSync(path);
    if (st.isDirectory() && ext === '') out.push(...dirFiles(path, `${rel}/${entry}`));
    else if (st.isFile() && (EXTENSIONS as readonly string[]).includes(ext)) out.push(`${rel}/${entry}`);
  }
  return out;
}

/** Python's os.path.splitext: a leading dot does not start an extension. */
function extname(name: string): string {
  const i = name.lastIndexOf('.');
  return i <= 0 || /^\.+$/.test(name.slice(0, i + 1)) ? '' : name.slice(i);
}

function loadVarsFile(dir: string, rel: string, vault: VaultDecrypter | undefined): VarsFile | null {
  const file = join(dir, rel);
  const doc = loadYamlFile(file, vault);
  const v = doc.value;
  if (v === null || v === undefined || v === '' || (typeof v === 'object' && Object.keys(v).length === 0)) return null;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new ParseError(`failed to combine variables, expected dicts but got a '${Array.isArray(v) ? 'list' : typeof v}' in ${file}`, {
      where: { file, line: 1, col: 1 }, hint: 'a vars file is a mapping of variable names to values',
    });
  }
  return Object.freeze({ source: rel, vars: Object.freeze(v as Record<string, unknown>) });
}
