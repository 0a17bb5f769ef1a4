import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { truthy } from '../python/ops.js';
import { pyStr } from '../python/repr.js';
import { strftime } from '../python/strftime.js';
import { strptime } from '../python/strptime.js';
import type { PyDatetime } from '../python/datetime.js';
import { typeName } from '../python/values.js';
import type { FilterTable } from './types.js';

/** ansible's strftime(string_format, second=None, utc=False): time.strftime of now or an epoch. */
function strftimeFilter(fmt: unknown, ...args: unknown[]): string {
  const a = bind('strftime', args, ['second', 'utc'], { second: null, utc: false });
  let when = new Date();
  if (a.second !== null) {
    const sec = Number(pyStr(a.second));
    if (pyStr(a.second).trim() === '' || Number.isNaN(sec)) throw new TemplateError(`Invalid value for epoch value (${pyStr(a.second)})`);
    when = new Date(Math.floor(sec) * 1000);
  }
  return strftime(pyStr(fmt), when, { utc: truthy(a.utc), micros: 0 });
}

/** ansible's to_datetime(string, format='%Y-%m-%d %H:%M:%S'): datetime.strptime, a Python datetime. */
function toDatetime(v: unknown, ...args: unknown[]): PyDatetime {
  const a = bind('to_datetime', args, ['format'], { format: '%Y-%m-%d %H:%M:%S' });
  if (typeof v !== 'string') throw new TemplateError(`strptime() argument 1 must be str, not ${typeName(v)}`);
  return strptime(v, pyStr(a.format));
}

export const timeFilters: FilterTable = { strftime: strftimeFilter, to_datetime: toDatetime };
