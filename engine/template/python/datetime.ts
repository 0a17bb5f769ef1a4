import { TemplateError } from '../../errors/index.js';
import { PyObject, PyFloat, isNumber, num, mkFloat } from './values.js';
import { strftime } from './strftime.js';

/*
 * Python's datetime.datetime and datetime.timedelta, as much as templates use them:
 * `(a | to_datetime - b | to_datetime).total_seconds()`, `.days`, `.seconds`, comparisons,
 * str() and repr() like Python's. Times are exact integer microseconds (BigInt).
 */

const US_PER_SEC = 1_000_000n;
const US_PER_DAY = 86_400n * US_PER_SEC;
/** Days from 0001-01-01 (Python's ordinal 1) to 1970-01-01. */
const EPOCH_DAYS = 719_162n;

const pad = (n: number | bigint, w = 2): string => String(n).padStart(w, '0');

/** Python's floor division and modulo for BigInt. */
function divmod(a: bigint, b: bigint): [bigint, bigint] {
  const q = a / b;
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? [q - 1n, r + b] : [q, r];
}

export class PyTimedelta extends PyObject {
  readonly pyType = 'timedelta';
  constructor(readonly us: bigint) {
    super();
  }
  get days(): number {
    return Number(divmod(this.us, US_PER_DAY)[0]);
  }
  get seconds(): number {
    return Number(divmod(divmod(this.us, US_PER_DAY)[1], US_PER_SEC)[0]);
  }
  get microseconds(): number {
    return Number(divmod(this.us, US_PER_SEC)[1]);
  }
  total_seconds(): unknown {
    return mkFloat(Number(this.us) / 1e6);
  }
  override truthy(): boolean {
    return this.us !== 0n;
  }
  override toString(): string {
    const [secs, micro] = [this.seconds, this.microseconds];
    let s = `${Math.floor(secs / 3600)}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
    if (this.days) s = `${this.days} day${Math.abs(this.days) !== 1 ? 's' : ''}, ${s}`;
    return micro ? `${s}.${pad(micro, 6)}` : s;
  }
  repr(): string {
    const parts = [['days', this.days], ['seconds', this.seconds], ['microseconds', this.microseconds]].filter(([, v]) => v !== 0);
    return `datetime.timedelta(${parts.length ? parts.map(([k, v]) => `${k}=${v}`).join(', ') : '0'})`;
  }
  override compareTo(other: unknown): number | undefined {
    if (!(other instanceof PyTimedelta)) return undefined;
    return this.us < other.us ? -1 : this.us > other.us ? 1 : 0;
  }
  override binop(op: string, other: unknown, reflected: boolean): unknown {
    if (op === 'neg') return new PyTimedelta(-this.us);
    if (other instanceof PyTimedelta) {
      if (op === '+') return new PyTimedelta(this.us + other.us);
      if (op === '-') return new PyTimedelta(reflected ? other.us - this.us : this.us - other.us);
      if (op === '/' && !reflected) return mkFloat(Number(this.us) / Number(other.us));
      if (op === '//' && !reflected) return Number(divmod(this.us, other.us)[0]);
      return undefined;
    }
    if (!isNumber(other) || other instanceof PyFloat) return undefined;
    const n = num(other);
    if (op === '*' && Number.isInteger(n)) return new PyTimedelta(this.us * BigInt(n));
    if (op === '//' && !reflected && Number.isInteger(n) && n !== 0) return new PyTimedelta(divmod(this.us, BigInt(n))[0]);
    if (op === '/' && !reflected && n !== 0) return new PyTimedelta(BigInt(Math.round(Number(this.us) / n)));
    return undefined;
  }
}

/** A civil date-time in microseconds since 0001-01-01 00:00, with an optional UTC offset (aware). */
export class PyDatetime extends PyObject {
  readonly pyType = 'datetime';
  constructor(
    /** Wall-clock microseconds since 0001-01-01T00:00 (in the datetime's own offset). */
    readonly us: bigint,
    /** Minutes east of UTC for an aware datetime (%z), undefined for a naive one. */
    readonly offsetMinutes?: number,
  ) {
    super();
  }

  static fromParts(p: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number; micro?: number }, offsetMinutes?: number): PyDatetime {
    const d = new Date(0);
    d.setUTCFullYear(p.year, p.month - 1, p.day);
    const days = BigInt(Math.round(d.getTime() / 86_400_000)) + EPOCH_DAYS;
    const secs = (p.hour ?? 0) * 3600 + (p.minute ?? 0) * 60 + (p.second ?? 0);
    return new PyDatetime(days * US_PER_DAY + BigInt(secs) * US_PER_SEC + BigInt(p.micro ?? 0), offsetMinutes);
  }

  /** The wall clock as a JS Date read in UTC, plus the sub-millisecond part. */
  private wall(): { date: Date; micro: number } {
    const [days, inDay] = divmod(this.us, US_PER_DAY);
    const ms = Number(days - EPOCH_DAYS) * 86_400_000 + Number(inDay / 1000n);
    return { date: new Date(ms), micro: Number(inDay % US_PER_SEC) };
  }
  get year(): number { return this.wall().date.getUTCFullYear(); }
  get month(): number { return this.wall().date.getUTCMonth() + 1; }
  get day(): number { return this.wall().date.getUTCDate(); }
  get hour(): number { return this.wall().date.getUTCHours(); }
  get minute(): number { return this.wall().date.getUTCMinutes(); }
  get second(): number { return this.wall().date.getUTCSeconds(); }
  get microsecond(): number { return this.wall().micro; }

  weekday(): number { return (this.wall().date.getUTCDay() + 6) % 7; }
  isoweekday(): number { return this.weekday() + 1; }
  strftime(fmt: unknown): string {
    const { date, micro } = this.wall();
    return strftime(String(fmt), date, { utc: true, micros: micro });
  }
  isoformat(sep: unknown = 'T'): string {
    const { micro } = this.wall();
    return this.strftime(`%Y-%m-%d${String(sep)}%H:%M:%S`) + (micro ? `.${pad(micro, 6)}` : '') + this.offsetText(':');
  }
  /** Seconds since the epoch; a naive datetime is local time, like Python's. */
  timestamp(): unknown {
    const { date, micro } = this.wall();
    const utcMs = this.offsetMinutes === undefined
      ? new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()).getTime()
      : date.getTime() - date.getUTCMilliseconds() - this.offsetMinutes * 60_000;
    return mkFloat(utcMs / 1000 + micro / 1e6);
  }
  private offsetText(sep: string): string {
    if (this.offsetMinutes === undefined) return '';
    const o = Math.abs(this.offsetMinutes);
    return `${this.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(o / 60))}${sep}${pad(o % 60)}`;
  }
  /** Microseconds since 0001-01-01 UTC (aware) for comparing and subtracting aware values. */
  private utcUs(): bigint {
    return this.us - BigInt(this.offsetMinutes ?? 0) * 60n * US_PER_SEC;
  }
  override toString(): string {
    return this.isoformat(' ');
  }
  toJSON(): string {
    return this.isoformat();
  }
  repr(): string {
    const f = [this.year, this.month, this.day, this.hour, this.minute, this.second, this.microsecond];
    while (f.length > 5 && f[f.length - 1] === 0) f.pop();
    const tz = this.offsetMinutes === undefined ? '' : `, tzinfo=datetime.timezone${this.offsetMinutes === 0 ? '.utc' : `(${new PyTimedelta(BigInt(this.offsetMinutes) * 60n * US_PER_SEC).repr()})`}`;
    return `datetime.datetime(${f.join(', ')}${tz})`;
  }
  private sameKind(other: PyDatetime, what: string): void {
    if ((this.offsetMinutes === undefined) !== (other.offsetMinutes === undefined)) {
      throw new TemplateError(`can't ${what} offset-naive and offset-aware datetimes`);
    }
  }
  override compareTo(other: unknown): number | undefined {
    if (!(other instanceof PyDatetime)) return undefined;
    this.sameKind(other, 'compare');
    const [a, b] = [this.utcUs(), other.utcUs()];
    return a < b ? -1 : a > b ? 1 : 0;
  }
  override binop(op: string, other: unknown, reflected: boolean): unknown {
    if (other instanceof PyTimedelta && (op === '+' || (op === '-' && !reflected))) {
      return new PyDatetime(op === '+' ? this.us + other.us : this.us - other.us, this.offsetMinutes);
    }
    if (other instanceof PyDatetime && op === '-') {
      this.sameKind(other, 'subtract');
      const d = this.utcUs() - other.utcUs();
      return new PyTimedelta(reflected ? -d : d);
    }
    return undefined;
  }
}
