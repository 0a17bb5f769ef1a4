/** Argument helpers shared by the file modules: Ansible's loose booleans and schema fragments. */

import { ModuleFailure } from '../../errors/index.js';
import { BOOLEANS_FALSE, BOOLEANS_TRUE, notABooleanMessage, parseBoolean } from '../../python/boolean.js';

/** Ansible's strict boolean() for a module argument (args from `k=v` text are strings). */
export function bool(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  const b = parseBoolean(v);
  if (b === undefined) throw new ModuleFailure(notABooleanMessage(v));
  return b;
}

export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return String(v);
}

/** Schema fragments (ajv) reused by every file module's schema. */
const BOOL_WORDS = [...BOOLEANS_TRUE, ...BOOLEANS_FALSE].flatMap((w) => [w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1)]);
export const BOOL = { anyOf: [{ type: 'boolean' }, { enum: [...new Set(BOOL_WORDS), 0, 1] }] } as const;
export const STR = { type: 'string' } as const;
export const STR_OR_NUM = { type: ['string', 'number'] } as const;
export const MODE = { type: ['string', 'integer', 'null'] } as const;
export const STR_LIST = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } as const;

/** mode/owner/group/unsafe_writes/attributes/selevel...: the common file arguments. */
export const FILE_ATTR_PROPS = {
  mode: MODE,
  owner: STR_OR_NUM,
  group: STR_OR_NUM,
  unsafe_writes: BOOL,
  attributes: STR,
  seuser: STR,
  serole: STR,
  setype: STR,
  selevel: STR,
} as const;

/** Lists given as a comma-separated string or an array (Ansible's type='list'). */
export function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Parameter aliases like ansible's (path: dest, name...): the first one given wins. */
export function aliased(args: Readonly<Record<string, unknown>>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = str(args[n]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Schema piece: exactly one spelling of a required aliased parameter. */
export function requireOneOf(names: readonly string[]): Record<string, unknown> {
  return { oneOf: names.map((n) => ({ required: [n] })) };
}
