import { TemplateError } from '../../errors/index.js';
import { stringRepr } from './repr.js';
import { PyDatetime } from './datetime.js';

/*
 * Python's datetime.strptime (the C locale): each directive is the regex CPython's _strptime
 * uses, white space in the format matches any run of white space, case is ignored.
 */

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const names = (list: string[], short: boolean): string => `(${list.map((n) => (short ? n.slice(0, 3) : n)).sort((a, b) => b.length - a.length).join('|')})`;

const DIRECTIVES: Readonly<Record<string, string>> = {
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  f: '([0-9]{1,6})',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  m: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  y: '(\\d\\d)',
  Y: '(\\d\\d\\d\\d)',
  z: '([+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?|Z)',
  Z: '(utc|gmt)',
  p: '(am|pm)',
  b: names(MONTHS, true),
  B: names(MONTHS, false),
  a: names(DAYS, true),
  A: names(DAYS, false),
};

interface Compiled {
  readonly re: RegExp;
  readonly fields: string[];
}

function compile(fmt: string): Compiled {
  const fields: string[] = [];
  let src = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i] as string;
    if (c === '%') {
      const d = fmt[++i];
      if (d === '%') { src += '%'; continue; }
      const re = d === undefined ? undefined : DIRECTIVES[d];
      if (re === undefined) {
        throw new TemplateError(d === undefined ? `stray % in format ${stringRepr(fmt)}` : `'${d}' is a bad directive in format ${stringRepr(fmt)}`);
      }
      fields.push(d as string);
      src += re;
    } else if (/\s/.test(c)) {
      while (i + 1 < fmt.length && /\s/.test(fmt[i + 1] as string)) i++;
      src += '\\s+';
    } else src += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return { re: new RegExp(`^${src}`, 'i'), fields };
}

function offsetMinutes(z: string): number {
  if (z.toUpperCase() === 'Z') return 0;
  const digits = z.slice(1).replace(/:/g, '');
  const mins = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return z.startsWith('-') ? -mins : mins;
}

/** datetime.strptime(text, fmt) as a PyDatetime; errors carry Python's messages. */
export function strptime(text: string, fmt: string): PyDatetime {
  const { re, fields } = compile(fmt);
  const m = re.exec(text);
  if (!m) throw new TemplateError(`time data ${stringRepr(text)} does not match format ${stringRepr(fmt)}`);
  if (m[0].length !== text.length) throw new TemplateError(`unconverted data remains: ${text.slice(m[0].length)}`);
  const p = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0, micro: 0 };
  let pm: boolean | undefined;
  let hour12: number | undefined;
  let yday: number | undefined;
  let tz: number | undefined;
  fields.forEach((f, i) => {
    const v = (m[i + 1] as string).trim();
    const n = Number(v);
    switch (f) {
      case 'Y': p.year = n; break;
      case 'y': p.year = n <= 68 ? 2000 + n : 1900 + n; break;
      case 'm': p.month = n; break;
      case 'b': case 'B': p.month = MONTHS.findIndex((x) => x.startsWith(v.toLowerCase())) + 1; break;
      case 'd': p.day = n; break;
      case 'H': p.hour = n; break;
      case 'I': hour12 = n; break;
      case 'p': pm = v.toLowerCase() === 'pm'; break;
      case 'M': p.minute = n; break;
      case 'S':
        if (n > 59) throw new TemplateError('second must be in 0..59');
        p.second = n;
        break;
      case 'f': p.micro = Number(v.padEnd(6, '0')); break;
      case 'j': yday = n; break;
      case 'z': tz = offsetMinutes(v); break;
      default: break; // %a/%A/%Z: matched, not used (like Python's datetime.strptime)
    }
  });
  if (hour12 !== undefined) p.hour = (hour12 % 12) + (pm ? 12 : 0);
  if (yday !== undefined && !fields.some((f) => 'mbBd'.includes(f))) {
    const d = new Date(0);
    d.setUTCFullYear(p.year, 0, yday);
    [p.month, p.day] = [d.getUTCMonth() + 1, d.getUTCDate()];
  }
  const daysInMonth = new Date(Date.UTC(2000, p.month, 0)).getUTCDate();
  const leap = p.year % 4 === 0 && (p.year % 100 !== 0 || p.year % 400 === 0);
  if (p.day > (p.month === 2 ? (leap ? 29 : 28) : daysInMonth)) throw new TemplateError('day is out of range for month');
  return PyDatetime.fromParts(p, tz);
}
