/**
 * Python `re` patterns and replacement templates for JS. Ansible's lineinfile, replace and
 * find take Python syntax; we translate the parts that differ.
 */
export function pyRegex(pattern: string, flags = ''): RegExp {
  let src = pattern;
  let fl = flags;
  // leading inline flags (?i) (?s) (?m): JS wants them as flags
  const lead = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (lead !== null) {
    src = src.slice(lead[0].length);
    for (const f of lead[1]!) if ('ims'.includes(f) && !fl.includes(f)) fl += f;
  }
  src = src
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  return new RegExp(src, fl);
}

/**
 * Expands a Python replacement template (\1, \g<1>, \g<name>, \n, \\) against a match, like
 * re.sub / match.expand. Unmatched groups expand to '' (Python 3.5+).
 */
export function expandTemplate(tpl: string, groups: readonly (string | undefined)[], named: Readonly<Record<string, string | undefined>> = {}): string {
  const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', f: '\f', v: '\v' };
  return tpl.replace(/\\(g<([^>]+)>|[0-9]{1,2}|.)/gs, (whole, body: string, gname: string | undefined) => {
    if (gname !== undefined) return (/^\d+$/.test(gname) ? groups[Number(gname)] : named[gname]) ?? '';
    if (/^[0-9]+$/.test(body)) return groups[Number(body)] ?? '';
    return escapes[body] ?? whole;
  });
}

/** Python re.escape-free helper: escape a literal for a JS RegExp. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
