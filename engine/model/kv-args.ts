/**
 * Ansible's `k=v` argument strings (`copy: src=a dest=b`, `command: ls chdir=/tmp`): split on
 * white space outside quotes and Jinja2 delimiters, then peel off key=value pairs.
 */

import { ParseError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';

/**
 * Splits like ansible's split_args: quotes and {{ }} / {% %} / {# #} keep words together; an
 * unclosed quote or block is a load-time error, like ansible's (exit 4).
 */
export function splitArgs(text: string, where?: SourceLoc): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const two = text.slice(i, i + 2);
    if (quote === null && (two === '{{' || two === '{%' || two === '{#')) {
      depth++;
      cur += two;
      i++;
      continue;
    }
    if (quote === null && depth > 0 && (two === '}}' || two === '%}' || two === '#}')) {
      depth--;
      cur += two;
      i++;
      continue;
    }
    // like ansible's split_args (_get_quote_state): a quote after a backslash never opens or closes one
    if (ch === '\\' && i + 1 < text.length && (quote !== null || text[i + 1] === '"' || text[i + 1] === "'")) {
      cur += ch + text[i + 1]!;
      i++;
      continue;
    }
    if ((ch === '"' || ch === "'") && depth === 0) {
      if (quote === null) quote = ch;
      else if (quote === ch) quote = null;
      cur += ch;
      continue;
    }
    if (/\s/.test(ch) && quote === null && depth === 0) {
      if (cur !== '') words.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (quote !== null || depth > 0) {
    throw new ParseError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${text}`, { where, hint: 'close the quote or the {{ }} block' });
  }
  if (cur !== '') words.push(cur);
  return words;
}

function unquote(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) {
    return s.slice(1, -1).replace(/\\(["'\\])/g, '$1');
  }
  return s;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** ansible's _decode_escapes: Python unicode-escape sequences in k=v words (\n, \t, \x41, \u00e9 ...). */
export function decodeEscapes(word: string): string {
  // like ansible's _ESCAPE_SEQUENCE_RE: no octal escapes, so replace='"\1"' keeps its group reference
  return word.replace(/\\(U[0-9A-Fa-f]{8}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|[\\'"abfnrtv])/g, (_m, seq: string) => {
    const c = seq[0]!;
    if (c === 'U' || c === 'u' || c === 'x') return String.fromCodePoint(Number.parseInt(seq.slice(1), 16));
    return SIMPLE_ESCAPES[c] ?? seq;
  });
}

/** A word is a pair only if its key part is an identifier (so `echo a=b` in raw text can stay raw when keys are limited). */
function splitPair(word: string): [string, string] | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word);
  return m ? [m[1]!, unquote(m[2]!)] : undefined;
}

/** ansible's parse_kv without check_raw: any word with an unescaped '=' is a pair ("{{ item }}=moo" too). */
function splitAnyPair(word: string): [string, string] | undefined {
  for (let pos = word.indexOf('=', 1); pos > 0; pos = word.indexOf('=', pos + 1)) {
    if (word[pos - 1] !== '\\') return [word.slice(0, pos).trim(), unquote(word.slice(pos + 1).trim())];
  }
  return undefined;
}

/**
 * Parses a k=v string. For free-form modules only `freeFormKeys` count as options and the rest,
 * in its original spelling, becomes `_raw_params`, like ansible's parse_kv(check_raw=True).
 */
export function parseKv(text: string, freeFormKeys?: ReadonlySet<string>, where?: SourceLoc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const raw: string[] = [];
  for (const word of splitArgs(text, where)) {
    // like ansible's parse_kv: escapes are decoded in option values, raw text keeps its spelling
    const pair = freeFormKeys === undefined ? splitAnyPair(decodeEscapes(word)) : splitPair(decodeEscapes(word));
    if (pair && (freeFormKeys === undefined || freeFormKeys.has(pair[0]))) out[pair[0]] = pair[1];
    else raw.push(word);
  }
  if (raw.length > 0) out['_raw_params'] = raw.join(' ');
  return out;
}
