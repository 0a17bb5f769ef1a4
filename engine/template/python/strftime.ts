import { TemplateError } from '../../errors/index.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The broken-down time of `d` in UTC or in the controller's local zone, plus microseconds. */
function parts(d: Date, micros: number, utc: boolean) {
  const g = utc
    ? { Y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate(), H: d.getUTCHours(), M: d.getUTCMinutes(), S: d.getUTCSeconds(), w: d.getUTCDay() }
    : { Y: d.getFullYear(), m: d.getMonth(), d: d.getDate(), H: d.getHours(), M: d.getMinutes(), S: d.getSeconds(), w: d.getDay() };
  const off = utc ? 0 : -d.getTimezoneOffset();
  const start = utc ? Date.UTC(g.Y, 0, 1) : new Date(g.Y, 0, 1).getTime();
  const yday = Math.floor((d.getTime() - start) / 86400000) + 1;
  return { ...g, off, yday, micros };
}

/** Python's time.strftime / datetime.strftime for the directives roles use (C locale). */
export function strftime(fmt: string, d: Date, opts: { utc?: boolean; micros?: number } = {}): string {
  const p = parts(d, opts.micros ?? d.getMilliseconds() * 1000, opts.utc === true);
  const table: Record<string, () => string> = {
    Y: () => String(p.Y), y: () => pad(p.Y % 100), m: () => pad(p.m + 1), d: () => pad(p.d), e: () => String(p.d).padStart(2, ' '),
    H: () => pad(p.H), I: () => pad(p.H % 12 === 0 ? 12 : p.H % 12), M: () => pad(p.M), S: () => pad(p.S), f: () => pad(p.micros, 6),
    p: () => (p.H < 12 ? 'AM' : 'PM'), a: () => DAYS[p.w]!.slice(0, 3), A: () => DAYS[p.w]!, b: () => MONTHS[p.m]!.slice(0, 3),
    B: () => MONTHS[p.m]!, j: () => pad(p.yday, 3), w: () => String(p.w), s: () => String(Math.floor(d.getTime() / 1000)),
    z: () => `${p.off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(p.off) / 60))}${pad(Math.abs(p.off) % 60)}`,
    Z: () => (opts.utc ? 'UTC' : Intl.DateTimeFormat('en', { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName')?.value ?? ''),
    F: () => `${p.Y}-${pad(p.m + 1)}-${pad(p.d)}`, T: () => `${pad(p.H)}:${pad(p.M)}:${pad(p.S)}`, '%': () => '%',
    c: () => `${DAYS[p.w]!.slice(0, 3)} ${MONTHS[p.m]!.slice(0, 3)} ${String(p.d).padStart(2, ' ')} ${pad(p.H)}:${pad(p.M)}:${pad(p.S)} ${p.Y}`,
    x: () => `${pad(p.m + 1)}/${pad(p.d)}/${pad(p.Y % 100)}`, X: () => `${pad(p.H)}:${pad(p.M)}:${pad(p.S)}`,
  };
  return fmt.replace(/%(.)/g, (m, c: string) => {
    const f = table[c];
    if (f === undefined) throw new TemplateError(`strftime directive %${c} is not supported by tsplay`);
    return f();
  });
}
