/** ansible.posix.mount's fstab editing (Linux), pure: lines in, lines out, changed flag. */

export interface FstabEntry {
  readonly src: string;
  readonly name: string;
  readonly fstype: string;
  readonly opts: string;
  readonly dump: string;
  readonly passno: string;
}

/** Like ansible's _escape_fstab: backslash, space and '&' become octal escapes. */
export function escapeFstab(v: string): string {
  return v.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/&/g, '\\046');
}

function lineOf(e: FstabEntry): string {
  return `${e.src} ${e.name} ${e.fstype} ${e.opts} ${e.dump} ${e.passno}\n`;
}

function linesOf(text: string): string[] {
  if (text === '') return [];
  return text.split(/(?<=\n)/).map((l) => (l.endsWith('\n') ? l : `${l}\n`));
}

/** A line that names an entry: not blank, not a comment, 4 to 6 fields (Linux). */
function fields(line: string): string[] | undefined {
  if (line.trim() === '' || line.trim().startsWith('#')) return undefined;
  const f = line.trim().split(/\s+/);
  return f.length >= 4 && f.length <= 6 ? f : undefined;
}

/** set_mount: updates the entry for e.name in place (or appends it). */
export function setMount(text: string, want: FstabEntry): { text: string; changed: boolean } {
  const e: FstabEntry = { src: escapeFstab(want.src), name: escapeFstab(want.name), fstype: escapeFstab(want.fstype), opts: escapeFstab(want.opts), dump: want.dump, passno: want.passno };
  let exists = false;
  let changed = false;
  const out: string[] = [];
  for (const line of linesOf(text)) {
    const f = fields(line);
    // like ansible: several swap entries share the name 'none'; src tells them apart
    if (f === undefined || f[1] !== e.name || (f[1] === 'none' && f[2] === 'swap' && f[0] !== e.src)) { out.push(line); continue; }
    exists = true;
    const cur = { src: f[0], fstype: f[2], opts: f[3], dump: f[4] ?? '0', passno: f[5] ?? '0' };
    const differs = cur.src !== e.src || cur.fstype !== e.fstype || cur.opts !== e.opts || cur.dump !== e.dump || cur.passno !== e.passno;
    changed ||= differs;
    out.push(differs ? lineOf(e) : line);
  }
  if (!exists) { out.push(lineOf(e)); changed = true; }
  return { text: out.join(''), changed };
}

/** unset_mount: drops every entry for name. */
export function unsetMount(text: string, name: string): { text: string; changed: boolean } {
  const n = escapeFstab(name);
  let changed = false;
  const out: string[] = [];
  for (const line of linesOf(text)) {
    const f = fields(line);
    if (f !== undefined && f[1] === n) { changed = true; continue; }
    out.push(line);
  }
  return { text: out.join(''), changed };
}
