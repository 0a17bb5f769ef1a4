import { BOOLEANS_FALSE, BOOLEANS_TRUE } from '../../python/boolean.js';
/** ansible.posix.sysctl's file logic, pure: parse, decide, rewrite (it normalizes every line). */


/** Like ansible's _parse_value: booleans become 1/0, strings are stripped. */
export function parseSysctlValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = String(v);
  const b = BOOLEANS_TRUE.includes(s.toLowerCase()) ? '1' : BOOLEANS_FALSE.includes(s.toLowerCase()) ? '0' : undefined;
  if (b !== undefined) return b;
  return s.trim();
}

/** The kernel prints multi-value keys with tabs: compare word by word. */
export function valuesEqual(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = a.trim().split(/\s+/);
  const y = b.trim().split(/\s+/);
  return x.length === y.length && x.every((w, i) => w === y[i]);
}

function isSetting(line: string): boolean {
  const t = line.trim();
  return t !== '' && !t.startsWith('#') && !t.startsWith(';') && t.includes('=');
}

function splitSetting(line: string): [string, string] {
  const t = line.trim();
  const i = t.indexOf('=');
  return [t.slice(0, i).trim(), t.slice(i + 1).trim()];
}

/** The value the file gives NAME (the last assignment wins, like the python dict). */
export function fileValue(text: string, name: string): string | undefined {
  let v: string | undefined;
  for (const line of text.split('\n')) if (isSetting(line)) { const [k, x] = splitSetting(line); if (k === name) v = x; }
  return v;
}

/**
 * The file as ansible writes it: every line stripped, each key kept once as `k=v` (its first
 * occurrence; duplicates dropped), NAME set or removed, a new NAME appended.
 */
export function rewriteSysctl(text: string, name: string, value: string, present: boolean): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    if (!isSetting(line)) { out.push(line.trim()); continue; }
    const [k, v] = splitSetting(line);
    if (seen.has(k)) continue;
    seen.add(k);
    if (k !== name) out.push(`${k}=${v}`);
    else if (present) out.push(`${k}=${value}`);
  }
  if (!seen.has(name) && present) out.push(`${name}=${value}`);
  return out.map((l) => `${l}\n`).join('');
}

export interface SysctlDecision {
  readonly changed: boolean;
  readonly writeFile: boolean;
  readonly setProc: boolean;
}

/** ansible's process(): what changes, given the file's value and the live (/proc) value. */
export function decideSysctl(o: { fileValue?: string; procValue?: string; value: string; present: boolean; reload: boolean; sysctlSet: boolean }): SysctlDecision {
  let changed = false;
  let writeFile = false;
  let setProc = false;
  if (o.fileValue === undefined) { changed = o.present; writeFile = o.present; }
  else if (!o.present) { changed = true; writeFile = true; }
  else if (o.fileValue !== o.value) { changed = true; writeFile = true; }
  else if (o.reload && !valuesEqual(o.procValue, o.value)) changed = true;
  if (o.sysctlSet && o.present) {
    if (o.procValue === undefined) changed = true;
    else if (!valuesEqual(o.procValue, o.value)) { changed = true; setProc = true; }
  }
  return { changed, writeFile, setProc };
}
