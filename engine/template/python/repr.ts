import { PyFloat, PyObject, PyTuple, isUndefined, isMapping, mappingKeys, mappingGet } from './values.js';

/** Python repr() of a float: shortest round-trip digits, exponent outside 1e-4..1e16. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 16) {
    const [mant, e] = n.toExponential().split('e');
    const ev = Number(e);
    return `${mant}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  const s = String(n);
  return Number.isInteger(n) ? `${s}.0` : s;
}

function numberRepr(n: number): string {
  return Number.isInteger(n) ? String(n) : floatRepr(n);
}

/** Python repr() of a str: single quotes unless the text has ' and no ". */
export function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** Python-style repr of a value: True/False/None, [1, 'two'], {'a': 1}. */
export function pythonRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return numberRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (typeof v === 'string') return stringRepr(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof PyTuple) return v.length === 1 ? `(${pythonRepr(v[0])},)` : `(${[...v].map(pythonRepr).join(', ')})`;
  if (Array.isArray(v)) return `[${v.map(pythonRepr).join(', ')}]`;
  if (isUndefined(v)) return v.fail();
  if (v instanceof PyObject) return v.repr();
  if (isMapping(v)) {
    const parts = mappingKeys(v).map((k) => `${stringRepr(k)}: ${pythonRepr(mappingGet(v, k).value)}`);
    return `{${parts.join(', ')}}`;
  }
  return stringRepr(String(v));
}

/** Python str(): strings as they are, everything else as repr. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isUndefined(v)) return v.fail();
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat) && !isMapping(v)) {
    return String(v); // SafeString from macros and similar wrappers
  }
  return pythonRepr(v);
}
