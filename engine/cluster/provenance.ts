import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';

/** Inventory files a variable may be set in: the host list, then group_vars/ and host_vars/ beside it. */
function inventoryFiles(inventoryFile: string | undefined, inventoryDir: string | undefined): string[] {
  const out: string[] = inventoryFile && existsSync(inventoryFile) && statSync(inventoryFile).isFile() ? [inventoryFile] : [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(name) || !name.includes('.')) out.push(p);
    }
  };
  if (inventoryDir) for (const d of ['group_vars', 'host_vars']) walk(join(inventoryDir, d));
  return out;
}

/** Relative to the working directory when inside it, else absolute (no ../../../tmp/...). */
function shown(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/**
 * Where the inventory sets `subject` (a variable, or `[group]`), as `file:line` relative to
 * the working directory; several places when it is set more than once. Empty: a default.
 */
export function whereSet(subject: string, inventoryFile: string | undefined, inventoryDir: string | undefined, cwd = process.cwd()): string[] {
  const group = /^\[(.+)\]$/.exec(subject)?.[1];
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = group !== undefined
    ? new RegExp(`^\\s*(\\[${esc(group)}(:children)?\\]|${esc(group)}:\\s*$)`)
    : new RegExp(`^(${esc(subject)}\\s*:|.*\\s${esc(subject)}=)`);
  const found: string[] = [];
  for (const f of inventoryFiles(inventoryFile, inventoryDir)) {
    const lines = readFileSync(f, 'utf8').split('\n');
    lines.forEach((l, i) => { if (re.test(l)) found.push(`${shown(f, cwd)}:${i + 1}`); });
  }
  return found;
}
