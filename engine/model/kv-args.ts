/**
 * Ansible's `k=v` argument strings (`copy: src=a dest=b`, `command: ls chdir=/tmp`): split on
 * white space outside quotes and Jinja2 delimiters, then peel off key=value pairs.
 */

import { ParseError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';

/** ansible's _get_quote_state: the quote still open after `token` (a quote after a backslash does not count). */
function quoteState(token: string, open: string | null): string | null {
  let q = open;
  for (let i = 0; i < token.length; i++) {
    const ch = token[i]!;
    if ((ch === '"' || ch === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (q === null) q = ch;
      else if (q === ch) q = null;
    }
  }
  return q;
}

/** ansible's _count_jinja2_blocks: the depth after `token` (never below 0). */
function blockDepth(token: string, depth: number, open: string, close: string): number {
  const opened = token.split(open).length - 1;
  const closed = token.split(close).length - 1;
  return opened === closed ? depth : Math.max(0, depth + opened - closed);
}

const JINJA_PAIRS = [['{{', '}}'], ['{%', '%}'], ['{#', '#}']] as const;

/**
 * A port of ansible's split_args: words split on spaces and newlines, put back together inside
 * quotes and {{ }} / {% %} / {# #}; a lone `\` ends a line that continues on the next; every
 * other line end stays as "\n" on the word before it, so join_args gives back a multi-line
 * `shell: |` as written. An unclosed quote or block is a load-time error, like ansible's (exit 4).
 */
export function splitArgs(text: string, where?: SourceLoc): string[] {
  const params: string[] = [];
  const lines = text.split('\n');
  let quote: string | null = null;
  const depth = [0, 0, 0];
  const inBlock = (): boolean => depth.some((d) => d > 0);
  lines.forEach((line, lineIdx) => {
    const tokens = line.split(' ');
    let continued = false;
    tokens.forEach((token, idx) => {
      // like ansible: runs of spaces are kept on the word before them
      if (token === '' && idx !== 0) {
        if (params.length > 0) params[params.length - 1] += ' ';
        return;
      }
      if (token === '\\' && quote === null) {
        continued = true;
        return;
      }
      const wasQuoted = quote !== null;
      quote = quoteState(token, quote);
      let appended = false;
      if (quote !== null && !wasQuoted && !inBlock()) {
        params.push(token);
        appended = true;
      } else if (inBlock() || quote !== null || wasQuoted) {
        const last = params.length > 0 ? params.pop()! : '';
        if (idx === 0 && wasQuoted) params.push(last + token);
        else if (tokens.length > 1) params.push(last + (idx > 0 ? ' ' : '') + token);
        else params.push(`${last}\n${token}`);
        appended = true;
      }
      JINJA_PAIRS.forEach(([open, close], k) => {
        const before = depth[k]!;
        depth[k] = blockDepth(token, before, open, close);
        if (depth[k] !== before && !appended) {
          params.push(token);
          appended = true;
        }
      });
      if (!inBlock() && quote === null && !appended && token !== '') params.push(token);
    });
    if (lines.length > 1 && lineIdx !== lines.length - 1 && !continued && params.length > 0) params[params.length - 1] += '\n';
  });
  if (quote !== null || inBlock()) {
    throw new ParseError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${text}`, { where, hint: 'close the quote or the {{ }} block' });
  }
  return params;
}

/** ansible's join_args: the words of split_args back together, their newlines kept. */
export function joinArgs(words: readonly string[]): string {
  let out = '';
  for (const w of words) out += out === '' || out.endsWith('\n') ? w : ` ${w}`;
  return out;
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
  // like ansible's parse_kv: the value is stripped (a word can end with the newline split_args kept)
  return m ? [m[1]!, unquote(m[2]!.trim())] : undefined;
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
  if (raw.length > 0) out['_raw_params'] = joinArgs(raw);
  return out;
}
