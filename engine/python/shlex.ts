import { TsplayError } from '../errors/index.js';

/** Python's ValueError from shlex: an unclosed quote or a trailing backslash. */
export class ShlexError extends TsplayError {
  constructor(message: string) {
    super('shlex', message);
    this.name = 'ShlexError';
  }
}

/**
 * Python's shlex.split(text, comments, posix=True), the one copy: ansible's INI inventory
 * (comments=True) and the command/script/modprobe modules (comments=False). Quotes group words
 * and are removed; outside quotes a backslash escapes any character; inside double quotes it
 * escapes only `"` and `\` (else it stays); single quotes are literal; with comments a `#`
 * outside quotes ends the line, even mid-word.
 */
export function shlexSplit(text: string, opts: { readonly comments?: boolean } = {}): string[] {
  const tokens: string[] = [];
  let cur = '';
  let inToken = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '#' && opts.comments === true) break;
    if (/\s/.test(c)) {
      if (inToken) tokens.push(cur);
      cur = '';
      inToken = false;
      i++;
      continue;
    }
    inToken = true;
    if (c === '\\') {
      if (i + 1 >= text.length) throw new ShlexError('No escaped character');
      cur += text[i + 1];
      i += 2;
    } else if (c === "'" || c === '"') {
      const end = readQuoted(text, i + 1, c);
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

function readQuoted(text: string, start: number, quote: string): { text: string; next: number } {
  let out = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return { text: out, next: i + 1 };
    if (quote === '"' && c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  throw new ShlexError('No closing quotation');
}
