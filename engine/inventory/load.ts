import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { ParseError } from '../errors/index.js';
import { decryptVaultFile } from '../source/vault-text.js';
import { parseYamlText, type LoadedYaml } from '../source/yaml-file.js';
import type { VaultDecrypter } from '../types/vault.js';
import { InventoryDraft } from './draft.js';
import { parseIniInventory } from './ini.js';
import type { Inventory, VarsFolders } from './model.js';
import { parseAddress } from './ranges.js';
import { loadVarsFolders } from './vars-folders.js';
import { parseYamlInventory } from './yaml-inventory.js';

export interface LoadInventoryOptions {
  /** Where relative sources are resolved (default: process.cwd()). */
  readonly cwd?: string;
  /** Ansible-style warnings (skipped keys, ...); ignored when absent. */
  readonly onWarning?: (message: string) => void;
  /** Decrypts vaulted inventory files, group_vars/host_vars and inline !vault values. */
  readonly vault?: VaultDecrypter;
}

// like ansible's InventoryManager IGNORED: hidden files, vars folders, and INVENTORY_IGNORE_EXTS
// (REJECT_EXTS + .orig .ini .cfg .retry: yes, *.ini files inside an inventory folder are skipped)
const IGNORED = /^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;
const YAML_EXTS = new Set(['', '.yml', '.yaml', '.json']);

/**
 * Loads -i sources in order into one immutable Inventory: files, folders (every file in them,
 * recursively, sorted) and comma host lists ("a,b,"). group_vars/host_vars beside each source
 * are read into `varsFolders` (they are layered per host by inventoryVarLayers, not merged here).
 */
export function loadInventory(sources: readonly string[], opts: LoadInventoryOptions = {}): Inventory {
  const cwd = opts.cwd ?? process.cwd();
  const warn = opts.onWarning ?? (() => undefined);
  const vault = opts.vault;
  const draft = new InventoryDraft();
  const folders = new Map<string, VarsFolders>();
  const varsFolders: VarsFolders[] = [];
  for (const source of sources) {
    const full = resolve(cwd, source);
    if (source.includes(',') && !existsSync(full)) {
      hostList(source, draft);
      continue;
    }
    if (!existsSync(full)) {
      // like ansible: a missing source is a warning and the run goes on (implicit localhost only)
      warn(`Unable to parse ${full} as an inventory source`);
      continue;
    }
    const isDir = statSync(full).isDirectory();
    if (isDir) parseFolder(source, full, draft, warn, vault);
    else parseFile(source, full, draft, warn, vault);
    const dir = isDir ? full : dirname(full);
    const vf = folders.get(dir) ?? loadVarsFolders(dir, vault);
    folders.set(dir, vf);
    varsFolders.push(vf);
  }
  draft.reconcile();
  return draft.freeze(sources, varsFolders);
}

function parseFolder(shown: string, full: string, draft: InventoryDraft, warn: (m: string) => void, vault?: VaultDecrypter): void {
  for (const entry of readdirSync(full).sort()) {
    if (IGNORED.test(entry)) continue;
    const path = join(full, entry);
    if (statSync(path).isDirectory()) parseFolder(join(shown, entry), path, draft, warn, vault);
    else parseFile(join(shown, entry), path, draft, warn, vault);
  }
}

/** Like ansible's plugin chain: YAML (for .yml/.yaml/.json/no extension) when it is a mapping, else INI. */
function parseFile(shown: string, full: string, draft: InventoryDraft, warn: (m: string) => void, vault?: VaultDecrypter): void {
  const raw = readFileSync(full, 'utf8');
  const text = decryptVaultFile(raw, full, vault) ?? raw;
  const ext = extname(full);
  try {
    if (YAML_EXTS.has(ext)) {
      const doc = yamlInventoryCandidate(text, shown, ext, vault);
      if (doc !== null) {
        parseYamlInventory(doc, draft, warn);
        return;
      }
    }
    parseIniInventory(text, shown, draft, warn);
  } catch (e) {
    throw withFile(e, shown);
  }
}

/**
 * The YAML document to read as an inventory, or null to fall back to INI. Only a file without
 * extension falls back (ansible tries yaml then ini on it); a .yml/.yaml/.json file that is not
 * a mapping goes to parseYamlInventory, which reports why.
 */
function yamlInventoryCandidate(text: string, shown: string, ext: string, vault: VaultDecrypter | undefined): LoadedYaml | null {
  let doc: LoadedYaml;
  try {
    doc = parseYamlText(text, shown, vault);
  } catch (e) {
    if (ext === '' && e instanceof ParseError) return null;
    throw e;
  }
  const v = doc.value;
  const isMapping = typeof v === 'object' && v !== null && !Array.isArray(v);
  // an empty file is fine: ansible's ini plugin accepts it after the yaml plugin declines
  return isMapping || (ext !== '' && v !== null) ? doc : null;
}

/** The host_list plugin: "node1,node2:2222,". */
function hostList(source: string, draft: InventoryDraft): void {
  for (const item of source.split(',')) {
    const h = item.trim();
    if (h === '') continue;
    const parsed = parseAddress(h);
    draft.addHost(parsed?.host ?? h, 'ungrouped', parsed?.port);
  }
}

function withFile(e: unknown, file: string): unknown {
  if (e instanceof ParseError && e.where === undefined) {
    return new ParseError(e.message, { where: { file, line: 1, col: 1 }, ...(e.hint === undefined ? {} : { hint: e.hint }), cause: e.cause });
  }
  return e;
}
