import { TemplateError, UndefinedVariableError } from '../../errors/index.js';
import type { RenderInfo } from '../context.js';
import { pyStr } from '../python/repr.js';
import { format } from '../python/percent-format.js';
import { isMapping, mappingKeys, mappingGet, typeName } from '../python/values.js';
import { PlainLookupError, type LookupFn } from './lookup-fn.js';

function varsLookup(terms: unknown[], kw: Record<string, unknown>, info: RenderInfo): unknown[] {
  return terms.flat().map((t) => {
    // like ansible's vars lookup
    if (typeof t !== 'string') throw new PlainLookupError(`Invalid setting identifier, "${pyStr(t)}" is not a string, its a <class '${typeName(t)}'>`);
    const name = t;
    if (info.vars.has(name)) {
      try {
        return info.template(info.vars.get(name));
      } catch (e) {
        // like ansible: a variable whose value hits an undefined one counts as missing when a default is given
        if (kw.default === undefined || !(e instanceof UndefinedVariableError || (e instanceof TemplateError && /is undefined/.test(e.message)))) throw e;
        return kw.default;
      }
    }
    if (kw.default !== undefined) return kw.default;
    throw new PlainLookupError(`No variable found with this name: ${name}`);
  });
}

function dictLookup(terms: unknown[]): unknown[] {
  return terms.flatMap((t) => {
    if (!isMapping(t)) throw new TemplateError('with_dict expects a dict');
    return mappingKeys(t).map((k) => ({ key: k, value: mappingGet(t, k).value }));
  });
}

/** with_sequence: "start=1 end=5 stride=1 format=x%02d", "1-5", "5" or keyword options. */
function parseSequence(term: string, kw: Record<string, unknown>): { start: number; end: number; stride: number; fmt: string } {
  const o: Record<string, string> = {};
  for (const [k, v] of Object.entries(kw)) o[k] = pyStr(v);
  let rest = term.trim();
  const short = /^(?:(0x[0-9a-f]+|0o?[0-7]+|\d+)-)?(0x[0-9a-f]+|\d+)(?:\/(\d+))?(?::(.+))?$/i.exec(rest);
  if (short && !rest.includes('=')) {
    if (short[1] !== undefined) o.start = short[1];
    o.end = short[2] as string;
    if (short[3] !== undefined) o.stride = short[3];
    if (short[4] !== undefined) o.format = short[4];
    rest = '';
  }
  for (const m of rest.matchAll(/(\w+)=(\S+)/g)) o[m[1] as string] = m[2] as string;
  const start = Number(o.start ?? 1);
  const stride = Number(o.stride ?? 1);
  let end: number;
  if (o.end !== undefined) end = Number(o.end);
  else if (o.count !== undefined) end = start + (Number(o.count) - 1) * stride;
  else throw new TemplateError("must specify count or end in with_sequence");
  return { start, end, stride, fmt: o.format ?? '%d' };
}

function sequence(terms: unknown[], kw: Record<string, unknown>): unknown[] {
  const out: string[] = [];
  for (const t of terms.length ? terms.flat() : ['']) {
    const { start, end, stride, fmt } = parseSequence(pyStr(t), kw);
    if (stride === 0) continue;
    if ((stride > 0 && end < start) || (stride < 0 && end > start)) {
      throw new TemplateError('to count backwards make stride negative');
    }
    for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) out.push(format(fmt, i));
  }
  return out;
}

export const dataLookups: Record<string, LookupFn> = {
  vars: varsLookup,
  items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
  list: (terms) => terms,
  dict: dictLookup,
  sequence,
  varnames: (terms, _kw, info) => {
    const names = [...info.vars.names()];
    return terms.flat().flatMap((t) => names.filter((n) => new RegExp(pyStr(t)).test(n)));
  },
};
