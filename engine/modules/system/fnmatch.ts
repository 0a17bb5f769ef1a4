/** Python fnmatch.fnmatch as a RegExp (full match, [!seq] negation). */
export function fnmatchRegex(pat: string): RegExp {
  let re = '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const j = pat.indexOf(']', i + 2);
      if (j < 0) { re += '\\['; continue; }
      let body = pat.slice(i + 1, j).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body}]`; i = j;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}

/** fnmatch.fnmatch(text, pattern): whole-string shell-glob match. */
export function fnmatch(text: string, pattern: string): boolean {
  return fnmatchRegex(pattern).test(text);
}
