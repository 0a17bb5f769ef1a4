import type { NjTokenizer } from './nunjucks-internals.js';

/*
 * Patches on nunjucks' tokenizer (it has no hooks) for how Jinja2 under ansible reads text:
 * each wraps nextToken or _parseString of one tokenizer instance.
 */

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

/**
 * String literals read the way ansible reads them. With escapeBackslashes (ansible's default
 * for task/var strings) every backslash inside `{{ }}` stays literal: ansible doubles them
 * before Jinja sees the text, so '\s+' in a regex keeps its backslash. Elsewhere Python's
 * escapes apply and unknown ones keep the backslash (nunjucks would drop it).
 */
export function patchStrings(tok: NjTokenizer, escapeBackslashes: boolean): void {
  let inVar = false;
  let depth = 0;
  const next = tok.nextToken.bind(tok);
  tok.nextToken = () => {
    // like Jinja's lexer: "}}" inside an open { ... } is two closing braces, not the tag end
    if (depth > 0 && tok.in_code && tok.current() === '}') {
      const t = { type: 'right-curly', value: '}', lineno: tok.lineno, colno: tok.colno };
      tok.forward();
      depth--;
      return t;
    }
    const t = next();
    if (t?.type === 'variable-start') [inVar, depth] = [true, 0];
    else if (t?.type === 'variable-end') inVar = false;
    else if (t?.type === 'block-start') depth = 0;
    else if (t?.type === 'left-curly') depth++;
    else if (t?.type === 'right-curly') depth = Math.max(0, depth - 1);
    return t;
  };
  tok._parseString = (delimiter: string) => {
    tok.forward();
    let str = '';
    while (!tok.isFinished() && tok.current() !== delimiter) {
      const cur = tok.current();
      tok.forward();
      if (cur !== '\\') {
        str += cur;
        continue;
      }
      const n = tok.current();
      tok.forward();
      if (escapeBackslashes && inVar) str += '\\' + n;
      else str += SIMPLE_ESCAPES[n] ?? '\\' + n;
    }
    tok.forward();
    return str;
  };
}

/** like Jinja2's lexer: trim_blocks also drops the one newline right after a comment's end. */
export function trimAfterComments(tok: NjTokenizer): void {
  const next = tok.nextToken.bind(tok);
  tok.nextToken = () => {
    const t = next();
    if (t?.type === 'comment' && !tok.isFinished() && tok.current() === '\n') tok.forward();
    return t;
  };
}

/** like Jinja2's lexer: newline_sequence replaces the line ends of template data (not of values). */
export function normalizeNewlines(tok: NjTokenizer, seq: string): void {
  const next = tok.nextToken.bind(tok);
  tok.nextToken = () => {
    const t = next();
    if (t?.type === 'data' && typeof t.value === 'string') t.value = t.value.replace(/\r\n|\r|\n/g, seq);
    return t;
  };
}

/**
 * like Jinja2's lexer: a `#}` outside a comment is plain text (nunjucks throws "unexpected end
 * of comment"); the text up to and including it becomes a data token.
 */
export function strayCommentEnds(tok: NjTokenizer, commentEnd: string): void {
  const next = tok.nextToken.bind(tok);
  tok.nextToken = () => {
    const at = { index: tok.index, lineno: tok.lineno, colno: tok.colno };
    try {
      return next();
    } catch (e) {
      if (!(e instanceof Error) || e.message !== 'unexpected end of comment') throw e;
      const end = tok.index + commentEnd.length;
      Object.assign(tok, at);
      let value = '';
      while (tok.index < end && !tok.isFinished()) {
        value += tok.current();
        tok.forward();
      }
      return { type: 'data', value, lineno: at.lineno, colno: at.colno };
    }
  };
}
