import { TemplateError } from '../errors/index.js';
import { literalEval } from '../python/literal-eval.js';
import type { Delimiters, ParseOptions } from './parse-options.js';

/*
 * ansible's `#jinja2:` header: a first line like `#jinja2: trim_blocks: False, lstrip_blocks: True`
 * sets Jinja2 environment attributes for this one template (Templar.do_template: the line is
 * split on commas, each pair on its first colon, the value read with ast.literal_eval).
 */

const HEADER = '#jinja2:';

type Setter = (opts: Mutable<ParseOptions>, value: unknown) => void;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const str = (key: string, v: unknown): string => {
  if (typeof v !== 'string') throw new TemplateError(`the jinja2 override '${key}' must be a string`);
  return v;
};
const delimiter = (field: keyof Delimiters, key: string): Setter => (o, v) => {
  o.delimiters = { ...(o.delimiters ?? {}), [field]: str(key, v) };
};

/** The environment attributes tsplay honours; anything else is refused, never silently ignored. */
const SETTERS: Readonly<Record<string, Setter>> = {
  trim_blocks: (o, v) => { o.trimBlocks = v === true; },
  lstrip_blocks: (o, v) => { o.lstripBlocks = v === true; },
  keep_trailing_newline: (o, v) => { o.keepTrailingNewline = v === true; },
  newline_sequence: (o, v) => {
    if (v !== '\n' && v !== '\r' && v !== '\r\n') throw new TemplateError("newline_sequence set to unknown line ending string.");
    o.newlineSequence = v;
  },
  block_start_string: delimiter('blockStart', 'block_start_string'),
  block_end_string: delimiter('blockEnd', 'block_end_string'),
  variable_start_string: delimiter('variableStart', 'variable_start_string'),
  variable_end_string: delimiter('variableEnd', 'variable_end_string'),
  comment_start_string: delimiter('commentStart', 'comment_start_string'),
  comment_end_string: delimiter('commentEnd', 'comment_end_string'),
  line_statement_prefix: (o, v) => { o.lineStatementPrefix = v === null ? undefined : str('line_statement_prefix', v); },
  line_comment_prefix: (o, v) => { o.lineCommentPrefix = v === null ? undefined : str('line_comment_prefix', v); },
};

/** Splits off a `#jinja2:` header and applies it to the parse options (the text is unchanged without one). */
export function applyHeaderOverrides(src: string, base: ParseOptions): { body: string; opts: ParseOptions } {
  if (!src.startsWith(HEADER)) return { body: src, opts: base };
  // like ansible: without a newline the line loses its last character and the text stays whole
  const eol = src.indexOf('\n');
  const line = eol < 0 ? src.slice(HEADER.length, -1) : src.slice(HEADER.length, eol);
  const body = eol < 0 ? src : src.slice(eol + 1);
  const opts: Mutable<ParseOptions> = { ...base };
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) {
      throw new TemplateError(`failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`);
    }
    const key = pair.slice(0, colon).trim();
    const text = pair.slice(colon + 1).trim();
    const value = literalEval(text);
    if (!value.ok) throw new TemplateError(`malformed jinja2 override value for '${key}': ${text}`, { hint: 'values are Python literals: quote strings, True/False for flags' });
    const set = SETTERS[key];
    if (!set) throw new TemplateError(`the jinja2 override '${key}' is not supported by tsplay`, { hint: `supported: ${Object.keys(SETTERS).join(', ')}` });
    set(opts, value.value);
  }
  return { body, opts };
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Jinja2's line statements and line comments, which nunjucks' lexer lacks, rewritten to tags
 * before lexing: a line `PREFIX stmt` becomes `{% stmt %}` and consumes its newline like
 * Jinja's linestatement_end (so trim_blocks has nothing to trim after it); a line comment drops
 * its text up to the newline with the white space before it. Like Jinja for templates that do
 * not put the prefixes inside tags or strings (the rewrite does not look at them).
 */
export function rewriteLinePrefixes(src: string, opts: ParseOptions): string {
  let out = src;
  const { blockStart = '{%', blockEnd = '%}' } = opts.delimiters ?? {};
  if (opts.lineCommentPrefix !== undefined) {
    out = out.replace(new RegExp(`(?:^|(?<=\\S))[^\\S\\r\\n]*${escapeRe(opts.lineCommentPrefix)}.*?(?=\\n|$)`, 'gm'), '');
  }
  if (opts.lineStatementPrefix !== undefined) {
    // like Jinja's linestatement_end (\s*(\n|$)): the newline and any blank lines after it go
    const re = new RegExp(`^[ \\t\\v]*${escapeRe(opts.lineStatementPrefix)}(.*?)(?:\\s*\\n|$)`, 'gm');
    out = out.replace(re, (_m, stmt: string) => `${blockStart} ${stmt.trim()} ${blockEnd}`);
  }
  return out;
}
