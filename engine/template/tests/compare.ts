import { TemplateError } from '../../errors/index.js';
import { pyRegex } from '../filters/regex.js';
import { bind } from '../python/args.js';
import { compare, eq, inOp, truthy, mod } from '../python/ops.js';
import { pyStr } from '../python/repr.js';
import { num } from '../python/values.js';
import { fromIterator } from '../runtime.js';
import type { TestFn } from '../runtime.js';

function regexTest(kind: 'search' | 'match' | 'regex'): TestFn {
  return (value, ...args) => {
    const a = bind(kind, args, ['pattern', 'ignorecase', 'multiline', 'match_type'], { pattern: '', ignorecase: false, multiline: false, match_type: kind === 'match' ? 'match' : 'search' });
    const re = pyRegex(pyStr(a.pattern), { ignorecase: truthy(a.ignorecase), multiline: truthy(a.multiline) });
    const s = pyStr(value);
    if (a.match_type === 'match') return new RegExp(`^(?:${re.source})`, re.flags.replace('m', '') + (re.flags.includes('m') ? 'm' : '')).test(s) && matchAtStart(re, s);
    if (a.match_type === 'fullmatch') return new RegExp(`^(?:${re.source})$`, re.flags).test(s);
    return re.test(s);
  };
}

/** re.match anchors at the string start even with MULTILINE, unlike ^ in a JS /m regex. */
function matchAtStart(re: RegExp, s: string): boolean {
  const sticky = new RegExp(re.source, re.flags.replace('g', '') + 'y');
  sticky.lastIndex = 0;
  return sticky.test(s);
}

const cmp = (op: string): TestFn => (a, b) => compare(a, op, b);

function asSet(v: unknown): unknown[] {
  return fromIterator(v);
}

export const compareTests: Record<string, TestFn> = {
  equalto: (a, b) => eq(a, b),
  '==': (a, b) => eq(a, b),
  eq: (a, b) => eq(a, b),
  ne: (a, b) => !eq(a, b),
  '!=': (a, b) => !eq(a, b),
  lt: cmp('<'),
  '<': cmp('<'),
  lessthan: cmp('<'),
  le: cmp('<='),
  '<=': cmp('<='),
  gt: cmp('>'),
  '>': cmp('>'),
  greaterthan: cmp('>'),
  ge: cmp('>='),
  '>=': cmp('>='),
  odd: (v) => Math.abs(num(v) % 2) === 1,
  even: (v) => num(v) % 2 === 0,
  divisibleby: (v, n) => {
    if (num(n) === 0) throw new TemplateError('integer division or modulo by zero');
    return num(mod(v, n)) === 0;
  },
  in: (v, seq) => inOp(v, seq),
  contains: (seq, v) => inOp(v, seq),
  subset: (a, b) => asSet(a).every((x) => asSet(b).some((y) => eq(x, y))),
  issubset: (a, b) => asSet(a).every((x) => asSet(b).some((y) => eq(x, y))),
  superset: (a, b) => asSet(b).every((x) => asSet(a).some((y) => eq(x, y))),
  issuperset: (a, b) => asSet(b).every((x) => asSet(a).some((y) => eq(x, y))),
  search: regexTest('search'),
  match: regexTest('match'),
  regex: regexTest('regex'),
};
