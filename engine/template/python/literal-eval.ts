/**
 * ast.literal_eval for ansible's non-native templating: a rendered string that starts with
 * { or [ or is True/False becomes data when it parses as a Python literal (JSON's
 * true/false/null are accepted too, like ansible's Json2Python). Tuples and sets become arrays.
 */
export type LiteralResult = { ok: true; value: unknown } | { ok: false };

const NAMES: Record<string, unknown> = { True: true, False: false, None: null, true: true, false: false, null: null };
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

class Fail extends Error {}

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseAll(): unknown {
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) throw new Fail();
    return v;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i] as string)) this.i++;
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '[') return this.seq(']');
    if (c === '(') return this.seq(')');
    if (c === '{') return this.dictOrSet();
    if (c === '-' || c === '+') {
      this.i++;
      const v = this.value();
      if (typeof v !== 'number') throw new Fail();
      return c === '-' ? -v : v;
    }
    if (c !== undefined && /[0-9.]/.test(c)) return this.number();
    if (c !== undefined && /[A-Za-z_]/.test(c)) return this.nameOrString();
    if (c === '"' || c === "'") return this.strings('');
    throw new Fail();
  }

  private seq(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) return (this.i++, out);
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new Fail();
    }
  }

  private dictOrSet(): unknown {
    this.i++;
    const dict: Record<string, unknown> = {};
    const set: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') return (this.i++, set.length ? set : dict);
      const k = this.value();
      this.ws();
      if (this.s[this.i] === ':') {
        this.i++;
        if (k !== null && typeof k === 'object') throw new Fail(); // unhashable key
        dict[String(k === true ? 'True' : k === false ? 'False' : k === null ? 'None' : k)] = this.value();
      } else set.push(k);
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new Fail();
    }
  }

  private number(): number {
    const m = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?)/.exec(this.s.slice(this.i));
    const t = m?.[0] ?? '';
    if (t === '' || t === '.') throw new Fail();
    this.i += t.length;
    const clean = t.replace(/_/g, '');
    const n = /^0[oO]/.test(clean) ? parseInt(clean.slice(2), 8) : /^0[bB]/.test(clean) ? parseInt(clean.slice(2), 2) : Number(clean);
    if (Number.isNaN(n)) throw new Fail();
    return n;
  }

  private nameOrString(): unknown {
    const m = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i)) as RegExpExecArray;
    const word = m[0];
    const next = this.s[this.i + word.length];
    if ((next === '"' || next === "'") && /^[rRbBuU]{1,2}$/.test(word)) {
      this.i += word.length;
      return this.strings(word.toLowerCase());
    }
    if (!(word in NAMES)) throw new Fail();
    this.i += word.length;
    return NAMES[word];
  }

  /** Adjacent string literals concatenate, like in Python. */
  private strings(prefix: string): string {
    let out = this.oneString(prefix);
    for (;;) {
      this.ws();
      const m = /^([rRbBuU]{0,2})(['"])/.exec(this.s.slice(this.i));
      if (!m) return out;
      this.i += (m[1] as string).length;
      out += this.oneString((m[1] as string).toLowerCase());
    }
  }

  private oneString(prefix: string): string {
    const raw = prefix.includes('r');
    const q = this.s[this.i] as string;
    const triple = this.s.startsWith(q.repeat(3), this.i);
    const end = triple ? q.repeat(3) : q;
    this.i += end.length;
    let out = '';
    while (!this.s.startsWith(end, this.i)) {
      const c = this.s[this.i];
      if (c === undefined || (c === '\n' && !triple)) throw new Fail();
      if (c === '\\') {
        const n = this.s[this.i + 1] ?? '';
        if (raw) out += c + n;
        else out += this.escape(n);
        this.i += 2;
        continue;
      }
      out += c;
      this.i++;
    }
    this.i += end.length;
    return out;
  }

  private escape(n: string): string {
    if (n in ESCAPES) return ESCAPES[n] as string;
    const hex = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
    if (hex) {
      const h = this.s.slice(this.i + 2, this.i + 2 + hex);
      if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== hex) throw new Fail();
      this.i += hex;
      return String.fromCodePoint(parseInt(h, 16));
    }
    return '\\' + n;
  }
}

export function literalEval(s: string): LiteralResult {
  try {
    return { ok: true, value: new LiteralParser(s).parseAll() };
  } catch (e) {
    if (e instanceof Fail) return { ok: false };
    throw e;
  }
}
