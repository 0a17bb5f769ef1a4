import { Ajv, type ValidateFunction } from 'ajv';
import { ParseError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';
import { checkKeywordValues } from './keyword-values.js';
import { KEYWORDS, keywordSchema, type Level } from './keywords.js';

const LEVELS: readonly Level[] = ['play', 'block', 'task', 'role', 'handler'];

/** Compiled once per process: the validators are pure functions of the constant keyword table. */
const validators: ReadonlyMap<Level, ValidateFunction> = (() => {
  const ajv = new Ajv({ allErrors: false, strict: false });
  return new Map(LEVELS.map((l) => [l, ajv.compile(keywordSchema(l))]));
})();

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/** Checks the types of the keywords present in `d` for one level; unknown keys are the caller's business. */
export function checkKeywordTypes(d: Record<string, unknown>, level: Level, locOfKey: (key: string) => SourceLoc): void {
  const validate = validators.get(level)!;
  if (validate(d)) return checkKeywordValues(d, locOfKey);
  const err = validate.errors?.[0];
  const key = err?.instancePath.split('/')[1] ?? '';
  const expected = (KEYWORDS[key]?.schema as { type?: string | string[] } | undefined)?.type;
  const wanted = Array.isArray(expected) ? expected.filter((t) => t !== 'null').join(' or ') : String(expected ?? 'another type');
  throw new ParseError(`the field '${key}' has an invalid value: ${describeType(d[key])}`, {
    where: locOfKey(key),
    hint: `'${key}' takes ${wanted}`,
  });
}
