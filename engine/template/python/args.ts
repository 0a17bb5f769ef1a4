import { TemplateError } from '../../errors/index.js';

/** Positional and keyword arguments of a call, split from nunjucks' trailing kwargs object. */
export interface CallArgs {
  readonly pos: unknown[];
  readonly kw: Record<string, unknown>;
}

function isKwargs(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && (v as { __keywords?: unknown }).__keywords === true;
}

export function splitArgs(args: readonly unknown[]): CallArgs {
  const last = args[args.length - 1];
  if (!isKwargs(last)) return { pos: [...args], kw: {} };
  const kw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(last)) if (k !== '__keywords') kw[k] = v;
  return { pos: args.slice(0, -1), kw };
}

/**
 * Binds call arguments to Python-style parameter names: `bind(args, ['a', 'b'], {b: 1})`
 * returns {a, b}; unknown keywords are an error like Python's TypeError.
 */
export function bind(
  what: string,
  args: readonly unknown[],
  names: readonly string[],
  defaults: Record<string, unknown> = {},
): Record<string, unknown> {
  const { pos, kw } = splitArgs(args);
  if (pos.length > names.length) {
    throw new TemplateError(`${what}() takes at most ${names.length} arguments (${pos.length} given)`);
  }
  const out: Record<string, unknown> = { ...defaults };
  names.forEach((n, i) => {
    if (i < pos.length) out[n] = pos[i];
  });
  for (const [k, v] of Object.entries(kw)) {
    if (!names.includes(k)) throw new TemplateError(`${what}() got an unexpected keyword argument '${k}'`);
    out[k] = v;
  }
  return out;
}
