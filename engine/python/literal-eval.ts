/**
 * Python's ast.literal_eval, the one copy: numbers (with _ and 0x/0o/0b), strings (with r/u
 * prefixes, adjacent ones joined), True/False/None, lists, tuples and sets (as arrays), dicts,
 * comments. Used by the INI inventory (every value) and by non-native templating (a rendered
 * "[...]" / "{...}" / "True" becomes data).
 */
export type LiteralResult = { ok: true; value: unknown } | { ok: false };

export interface LiteralOptions {
  /** like ansible's Json2Python in templating: JSON's true/false/null are accepted too */
  readonly jsonNames?: boolean;
}

export function literalEval(text: string, opts: LiteralOptions = {}): LiteralResult {
  const p = new LiteralParser(text.replace(/^[ \t]+/, ''), opts.jsonNames === true);
  try {
    const v = p.expression();
    p.skipSpace();
    return p.atEnd() ? { ok: true, value: v } : { ok: false };
  } catch (e) {
    if (e instanceof NotLiteral) return { ok: false };
    throw e;
  }
}

/**
 * ansible-core's INI plugin runs every value (host line and [g:vars] alike) through
 * literal_eval and keeps the raw string when that fails: `5` -> 5, `True` -> true, `"[1, 2]"` ->
 * [1, 2], `0x10` -> 16, `None` -> null, but `yes`, `true`, `007` and `hello # x` stay strings.
 */
export function pyLiteralOrString(text: string): unknown {
  const r = literalEval(text);
  return r.ok ? r.value : text;
}

class NotLiteral extends Error {}

const JSON_NAMES: Readonly<Record<string, unknown>> = { true: true, false: false, null: null };

const NUMBER = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?)/;

class LiteralParser {
  private pos = 0;
  constructor(private readonly s: string, private readonly jsonNames: boolean) {}

  atEnd(): boolean {
    return this.pos >= this.s.length;
  }

  skipSpace(): void {
    for (;;) {
      while (this.pos < this.s.length && ' \t\r\n\f'.includes(this.s[this.pos] as string)) this.pos++;
      // a comment runs to the end of the line, as in Python source
      if (this.s[this.pos] !== '#') return;
      while (this.pos < this.s.length && this.s[this.pos] !== '\n') this.pos++;
    }
  }

  expression(): unknown {
    this.skipSpace();
    const c = this.s[this.pos];
    if (c === '-' || c === '+') {
      this.pos++;
      const v = this.expression();
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new NotLiteral();
      return c === '-' ? -Number(v) : Number(v);
    }
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.tuple();
    if (c === '{') return this.braces();
    if (c === '"' || c === "'") return this.strings();
    if (c !== undefined && /[A-Za-z_]/.test(c)) return this.name();
    return this.number();
  }

  private name(): unknown {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.pos)) as RegExpExecArray;
    const word = m[0];
    const next = this.s[this.pos + word.length];
    if ((next === '"' || next === "'") && /^[rRuU]$/.test(word)) return this.strings();
    this.pos += word.length;
    if (word === 'True') return true;
    if (word === 'False') return false;
    if (word === 'None') return null;
    if (this.jsonNames && word in JSON_NAMES) return JSON_NAMES[word];
    throw new NotLiteral();
  }

  private number(): number {
    const m = NUMBER.exec(this.s.slice(this.pos));
    const text = m?.[0] ?? '';
    if (text === '' || text === '.' || /^\.?[eE]/.test(text)) throw new NotLiteral();
    const clean = text.replace(/_/g, '');
    // Python 3 rejects leading zeros in decimal integers ("007" is a SyntaxError)
    if (/^0\d/.test(clean) && /^\d+$/.test(clean) && !/^0+$/.test(clean)) throw new NotLiteral();
    this.pos += text.length;
    if (/^0[xXoObB]/.test(clean)) return Number(clean.toLowerCase());
    return Number(clean);
  }

  private strings(): string {
    let out = '';
    let any = false;
    for (;;) {
      this.skipSpace();
      const m = /^([rRuU]?)(['"])/.exec(this.s.slice(this.pos));
      if (m === null) break;
      this.pos += m[0].length;
      out += this.stringBody(m[2] as string, m[1]?.toLowerCase() === 'r');
      any = true;
    }
    if (!any) throw new NotLiteral();
    return out;
  }

  private stringBody(quote: string, raw: boolean): string {
    let out = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos++] as string;
      if (c === quote) return out;
      if (c === '\n') break;
      if (c !== '\\') { out += c; continue; }
      const e = this.s[this.pos++] ?? '';
      out += raw ? `\\${e}` : this.escape(e);
    }
    throw new NotLiteral();
  }

  private escape(e: string): string {
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };
    if (e in simple) return simple[e] as string;
    const len = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (len > 0) {
      const hex = this.s.slice(this.pos, this.pos + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new NotLiteral();
      this.pos += len;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    return `\\${e}`;
  }

  private sequence(close: string): unknown[] {
    this.pos++;
    const items: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.s[this.pos] === close) { this.pos++; return items; }
      items.push(this.expression());
      this.skipSpace();
      if (this.s[this.pos] === ',') { this.pos++; continue; }
      if (this.s[this.pos] === close) { this.pos++; return items; }
      throw new NotLiteral();
    }
  }

  private tuple(): unknown {
    const start = this.pos;
    const items = this.sequence(')');
    // "(5)" is just 5; "(5,)" and "()" are tuples
    const inner = this.s.slice(start + 1, this.pos - 1).trim();
    if (items.length === 1 && !inner.endsWith(',')) return items[0];
    return items;
  }

  private braces(): unknown {
    this.pos++;
    this.skipSpace();
    if (this.s[this.pos] === '}') { this.pos++; return {}; }
    const first = this.expression();
    this.skipSpace();
    // no colon after the first item: a set literal, which ansible would print as a list
    if (this.s[this.pos] !== ':') return this.setFrom(first);
    return this.dictFrom(first);
  }

  private setFrom(first: unknown): unknown[] {
    const items = [first];
    for (;;) {
      this.skipSpace();
      if (this.s[this.pos] === '}') { this.pos++; return items; }
      if (this.s[this.pos] !== ',') throw new NotLiteral();
      this.pos++;
      this.skipSpace();
      if (this.s[this.pos] === '}') { this.pos++; return items; }
      items.push(this.expression());
    }
  }

  private dictFrom(firstKey: unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let key = firstKey;
    for (;;) {
      this.skipSpace();
      if (this.s[this.pos] !== ':') throw new NotLiteral();
      this.pos++;
      out[pyKey(key)] = this.expression();
      this.skipSpace();
      const c = this.s[this.pos++];
      if (c === '}') return out;
      if (c !== ',') throw new NotLiteral();
      this.skipSpace();
      if (this.s[this.pos] === '}') { this.pos++; return out; }
      key = this.expression();
    }
  }
}

function pyKey(k: unknown): string {
  if (k === true) return 'True';
  if (k === false) return 'False';
  if (k === null) return 'None';
  if (typeof k === 'object') throw new NotLiteral(); // lists/dicts are unhashable
  return String(k);
}
