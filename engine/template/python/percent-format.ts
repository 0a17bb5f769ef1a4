import { TemplateError } from '../../errors/index.js';
import { pyStr, pythonRepr, floatRepr } from './repr.js';
import { num, isMapping, mappingGet } from './values.js';

const SPEC = /%(?:\(([^)]*)\))?([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdirfFeExXoc%])/g;

/** Python's printf-style `'%s-%02d' % (a, b)`; a list stands in for the tuple. */
export function format(fmt: string, args: unknown): string {
  const list = Array.isArray(args) ? args : [args];
  let idx = 0;
  const out = fmt.replace(SPEC, (_m, key: string | undefined, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    let v: unknown;
    if (key !== undefined && isMapping(args)) v = mappingGet(args, key).value;
    else {
      if (idx >= list.length) throw new TemplateError('not enough arguments for format string');
      v = list[idx++];
    }
    return pad(convert(v, conv, prec), flags, width);
  });
  if (Array.isArray(args) && idx < list.length) {
    throw new TemplateError('not all arguments converted during string formatting');
  }
  return out;
}

function convert(v: unknown, conv: string, prec: string | undefined): string {
  switch (conv) {
    case 's': return pyStr(v);
    case 'r': return pythonRepr(v);
    case 'd': case 'i': return String(Math.trunc(num(v)));
    case 'f': case 'F': return num(v).toFixed(prec === undefined ? 6 : Number(prec));
    case 'e': case 'E': {
      const s = num(v).toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([-+])(\d)$/, 'e$10$2');
      return conv === 'E' ? s.toUpperCase() : s;
    }
    case 'x': return Math.trunc(num(v)).toString(16);
    case 'X': return Math.trunc(num(v)).toString(16).toUpperCase();
    case 'o': return Math.trunc(num(v)).toString(8);
    case 'c': return typeof v === 'string' ? v : String.fromCodePoint(num(v));
    default: return floatRepr(num(v));
  }
}

function pad(s: string, flags: string, width: string | undefined): string {
  const w = width === undefined || width === '*' ? 0 : Number(width);
  let t = s;
  if (flags.includes('+') && !t.startsWith('-') && /^[\d.]/.test(t)) t = '+' + t;
  if (t.length >= w) return t;
  if (flags.includes('-')) return t.padEnd(w);
  if (flags.includes('0') && /^[-+]?[\d.]/.test(t)) {
    const sign = /^[-+]/.test(t) ? (t[0] as string) : '';
    return sign + t.slice(sign.length).padStart(w - sign.length, '0');
  }
  return t.padStart(w);
}
