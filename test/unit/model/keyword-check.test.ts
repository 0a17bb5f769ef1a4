import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../engine/errors/index.js';
import { checkKeywordTypes } from '../../../engine/model/keyword-check.js';
import { keywordNames, keywordSchema, type Level } from '../../../engine/model/keywords.js';

const LEVELS: readonly Level[] = ['play', 'block', 'task', 'role', 'handler'];
/** One value of every kind YAML gives (NaN and Infinity from .nan / .inf). */
const SAMPLES: readonly unknown[] = ['x', '', 3, 2.5, -0, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, [], ['a'], {}, { a: 1 }];
const loc = { file: 'play.yml', line: 1, col: 1 };

/** The key checkKeywordTypes complains about, or undefined when the types are fine. */
function badKey(d: Record<string, unknown>, level: Level): string | undefined {
  try {
    checkKeywordTypes(d, level, () => loc);
    return undefined;
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    const m = /^the field '([^']*)' has an invalid value: /.exec(e.message);
    // a value-level complaint (keyword-values.ts) means the types passed
    return m ? m[1] : undefined;
  }
}

describe('keyword type checks (the table checked without compiling ajv schemas at start)', () => {
  const ajv = new Ajv({ allErrors: false, strict: false });

  it.each(LEVELS)('agree with ajv on the %s keyword schema for every kind of value', (level) => {
    const validate = ajv.compile(keywordSchema(level));
    const disagreements: string[] = [];
    let rejected = 0;
    for (const name of keywordNames(level)) {
      for (const v of SAMPLES) {
        const d = { [name]: v };
        const ajvBad = validate(d) ? undefined : validate.errors![0]!.instancePath.split('/')[1];
        if (ajvBad !== undefined) rejected++;
        if (badKey(d, level) !== ajvBad) disagreements.push(`${name}: ${String(v)}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(rejected).toBeGreaterThan(0);
  });

  it('reports the first wrong keyword in table order, like ajv', () => {
    const validate = ajv.compile(keywordSchema('task'));
    const d = { poll: [], register: {}, name: {} };
    validate(d);
    expect(badKey(d, 'task')).toBe(validate.errors![0]!.instancePath.split('/')[1]);
    expect(badKey(d, 'task')).toBe('name');
  });

  it('says what the keyword takes', () => {
    expect(() => checkKeywordTypes({ hosts: 3 }, 'play', () => loc)).toThrow(/the field 'hosts' has an invalid value: a number/);
  });
});
