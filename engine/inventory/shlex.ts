/**
 * Python's shlex.split(line, comments=True, posix=True), which ansible's INI plugin uses to
 * split a host line: quotes group words and are removed, a backslash escapes outside quotes
 * and before " \ inside double quotes, `#` outside quotes ends the line (even mid-word).
 */
export function shlexSplit(line: string): string[] {
  const tokens: string[] = [];
  let cur = '';
  let inToken = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '#') break;
    if (/\s/.test(c)) {
      if (inToken) tokens.push(cur);
      cur = '';
      inToken = false;
      i++;
      continue;
    }
    inToken = true;
    if (c === '\\') {
      cur += line[i + 1] ?? '';
      i += 2;
    } else if (c === "'" || c === '"') {
      const end = readQuoted(line, i + 1, c);
      cur += end.text;
      i = end.next;
    } else {
      cur += c;
      i++;
    }
  }
  if (inToken) tokens.push(cur);
  return tokens;
}

function readQuoted(line: string, start: number, quote: string): { text: string; next: number } {
  let text = '';
  let i = start;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === quote) return { text, next: i + 1 };
    if (quote === '"' && c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
      text += line[i + 1];
      i += 2;
      continue;
    }
    text += c;
    i++;
  }
  throw new ShlexError('No closing quotation');
}

export class ShlexError extends Error {}
