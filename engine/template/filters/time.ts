import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { truthy } from '../python/ops.js';
import { pyStr } from '../python/repr.js';
import { strftime } from '../python/strftime.js';
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

export const timeFilters: FilterTable = { strftime: strftimeFilter };
