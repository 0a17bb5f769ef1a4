import { ParseError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';
import { checkKeywordValues } from './keyword-values.js';
import { KEYWORDS, keywordNames, type Level } from './keywords.js';

/**
 * The JSON-schema types of the keyword table, tested the way ajv's generated code tests them
 * (without strictNumbers: NaN is a number, Infinity an integer; an object is no array). The table only uses
 * `type`, so this replaces compiling five ajv schemas at every start (~0.2 s).
 */
const TYPE_TESTS: Readonly<Record<string, (v: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => typeof v === 'number' && !(v % 1) && !Number.isNaN(v),
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
  array: (v) => Array.isArray(v),
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
};

const LEVELS: readonly Level[] = ['play', 'block', 'task', 'role', 'handler'];

function typesOf(name: string): readonly string[] {
  const t = (KEYWORDS[name]!.schema as { type?: string | readonly string[] }).type;
  return t === undefined ? [] : typeof t === 'string' ? [t] : t;
}

/** Per level, in table order, the keywords that take only some types and their tests. */
const CHECKS: ReadonlyMap<Level, readonly (readonly [string, readonly ((v: unknown) => boolean)[]])[]> = new Map(
  LEVELS.map((l) => [l, keywordNames(l).filter((n) => typesOf(n).length > 0).map((n) => [n, typesOf(n).map((t) => TYPE_TESTS[t]!)] as const)]),
);

/** The first keyword of `d`, in table order (like ajv's properties), whose value has none of its types. */
function firstBadKeyword(d: Record<string, unknown>, level: Level): string | undefined {
  for (const [name, tests] of CHECKS.get(level)!) {
    const v = d[name];
    if (v !== undefined && !tests.some((test) => test(v))) return name;
  }
  return undefined;
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/** Checks the types of the keywords present in `d` for one level; unknown keys are the caller's business. */
export function checkKeywordTypes(d: Record<string, unknown>, level: Level, locOfKey: (key: string) => SourceLoc): void {
  const key = firstBadKeyword(d, level);
  if (key === undefined) return checkKeywordValues(d, locOfKey);
  const expected = (KEYWORDS[key]?.schema as { type?: string | string[] } | undefined)?.type;
  const wanted = Array.isArray(expected) ? expected.filter((t) => t !== 'null').join(' or ') : String(expected ?? 'another type');
  throw new ParseError(`the field '${key}' has an invalid value: ${describeType(d[key])}`, {
    where: locOfKey(key),
    hint: `'${key}' takes ${wanted}`,
  });
}
