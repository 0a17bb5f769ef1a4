/**
 * Python's fnmatch (translate / fnmatch / fnmatchcase), the one copy for every area: inventory
 * host patterns, setup's filter, find's patterns, unarchive include/exclude, apt version pins.
 */

/** Python's fnmatch.translate body (no anchors): * ? [seq] [!seq], everything else literal. */
export function fnmatchTranslate(pat: string): string {
  let out = '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const close = pat.indexOf(']', i + 2);
      if (close < 0) { out += '\\['; continue; }
      let body = pat.slice(i + 1, close).replace(/\\/g, '\\\\');
      if (body[0] === '!') body = `^${body.slice(1)}`;
      else if (body[0] === '^') body = `\\${body}`;
      out += `[${body}]`;
      i = close;
    } else out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return out;
}

/** A whole-string RegExp for an fnmatch pattern (case-sensitive, like fnmatchcase on POSIX). */
export function fnmatchRegex(pat: string): RegExp {
  return new RegExp(`^(?:${fnmatchTranslate(pat)})$`, 's');
}

/** fnmatch.fnmatch(text, pattern) on POSIX: whole-string shell-glob match. */
export function fnmatch(text: string, pattern: string): boolean {
  return fnmatchRegex(pattern).test(text);
}
