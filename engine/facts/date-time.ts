import type { Facts, Sections } from './parse-system.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function offsetMinutes(z: string): number {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(z);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** strftime %W: week of the year, Monday first, days before the first Monday are week 0. */
function mondayWeek(d: Date): number {
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  const yday = Math.floor((d.getTime() - start) / 86_400_000);
  return Math.floor((yday + 7 - ((d.getUTCDay() + 6) % 7)) / 7);
}

/**
 * ansible's date_time from one `date` call on the host: local fields are computed from the
 * epoch plus the host's own UTC offset, so the controller's time zone never leaks in.
 * tz_dst is python's time.tzname[1]: the name used in whichever half of the year has the
 * larger offset (equal to tz where there is no DST).
 */
export function dateTimeFacts(s: Sections): Facts {
  const [now = '', jan = '', jul = ''] = (s.get('date') ?? '').split('\n');
  const [epochS = '0', nanos = '0', z = '+0000', tz = 'UTC'] = now.trim().split(/\s+/);
  const epoch = Number(epochS);
  const micros = pad(Math.floor(Number(nanos.replace(/\D/g, '') || '0') / 1000), 6);
  const local = new Date((epoch + offsetMinutes(z) * 60) * 1000);
  const utc = new Date(epoch * 1000);
  // `date -f` prints all three lines with the first line's format, the fallback only "%z %Z"
  const [janZ = z, janName = tz] = jan.trim().split(/\s+/).slice(-2);
  const [julZ = z, julName = tz] = jul.trim().split(/\s+/).slice(-2);
  const tzDst = offsetMinutes(julZ) >= offsetMinutes(janZ) ? julName : janName;
  const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const hms = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const basic = `${ymd(local).replace(/-/g, '')}T${hms(local).replace(/:/g, '')}`;
  return {
    date_time: {
      date: ymd(local),
      day: pad(local.getUTCDate()),
      epoch: String(epoch),
      epoch_int: String(epoch),
      hour: pad(local.getUTCHours()),
      iso8601: `${ymd(utc)}T${hms(utc)}Z`,
      iso8601_basic: `${basic}${micros}`,
      iso8601_basic_short: basic,
      iso8601_micro: `${ymd(utc)}T${hms(utc)}.${micros}Z`,
      minute: pad(local.getUTCMinutes()),
      month: pad(local.getUTCMonth() + 1),
      second: pad(local.getUTCSeconds()),
      time: hms(local),
      tz,
      tz_dst: tzDst,
      tz_offset: z,
      weekday: WEEKDAYS[local.getUTCDay()],
      weekday_number: String(local.getUTCDay()),
      weeknumber: pad(mondayWeek(local)),
      year: String(local.getUTCFullYear()),
    },
  };
}
