import { TemplateError } from '../../errors/index.js';
import { pyStr } from './repr.js';
import { format as percentFormat } from './percent-format.js';
import {
  PyFloat, PyObject, isUndefined, isMapping, isNumber, isFloat, num, mkFloat, typeName, mappingKeys, mappingGet, isVarSource,
} from './values.js';

/** Python truthiness; an undefined value fails like ansible's StrictUndefined. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '' || v === 0) return false;
  if (v === true || typeof v === 'string') return true;
  if (typeof v === 'number') return true; // NaN is truthy in Python too
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isUndefined(v)) return v.fail();
  if (v instanceof Map) return v.size > 0;
  if (isMapping(v)) return mappingKeys(v).length > 0;
  if (v instanceof PyObject) return v.truthy();
  return true;
}

/** Python's a.__op__(b), then b.__rop__(a), for PyObject operands; undefined when neither applies. */
function objectBinop(op: string, a: unknown, b: unknown): unknown {
  const r = a instanceof PyObject ? a.binop(op, b, false) : undefined;
  if (r !== undefined || !(b instanceof PyObject)) return r;
  return b.binop(op, a, true);
}

function typeError(op: string, a: unknown, b: unknown): TemplateError {
  return new TemplateError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function bothNumbers(a: unknown, b: unknown): boolean {
  return (isNumber(a) || typeof a === 'boolean') && (isNumber(b) || typeof b === 'boolean');
}

function arith(op: string, a: unknown, b: unknown, f: (x: number, y: number) => number): unknown {
  if (isUndefined(a)) a.fail();
  if (isUndefined(b)) b.fail();
  if (a instanceof PyObject || b instanceof PyObject) {
    const r = objectBinop(op, a, b);
    if (r !== undefined) return r;
    throw typeError(op, a, b);
  }
  if (!bothNumbers(a, b)) throw typeError(op, a, b);
  const r = f(num(a), num(b));
  return isFloat(a) || isFloat(b) ? mkFloat(r) : r;
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === 'string' && !isUndefined(b)) {
    throw new TemplateError(`can only concatenate str (not "${typeName(b)}") to str`);
  }
  return arith('+', a, b, (x, y) => x + y);
}

export function sub(a: unknown, b: unknown): unknown {
  return arith('-', a, b, (x, y) => x - y);
}

export function mul(a: unknown, b: unknown): unknown {
  if ((typeof a === 'string' || Array.isArray(a)) && Number.isInteger(b)) return repeat(a, b as number);
  if ((typeof b === 'string' || Array.isArray(b)) && Number.isInteger(a)) return repeat(b, a as number);
  return arith('*', a, b, (x, y) => x * y);
}

function repeat(s: string | unknown[], n: number): string | unknown[] {
  if (typeof s === 'string') return s.repeat(Math.max(0, n));
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...s);
  return out;
}

function checkZero(b: unknown): void {
  if (bothNumbers(0, b) && num(b) === 0) throw new TemplateError('division by zero');
}

/** Like Python 3: `/` always gives a float, so 4 / 2 prints as 2.0. */
export function div(a: unknown, b: unknown): unknown {
  checkZero(b);
  const r = arith('/', a, b, (x, y) => x / y);
  return typeof r === 'number' ? mkFloat(r) : r;
}

export function floorDiv(a: unknown, b: unknown): unknown {
  checkZero(b);
  return arith('//', a, b, (x, y) => Math.floor(x / y));
}

export function mod(a: unknown, b: unknown): unknown {
  if (typeof a === 'string') return percentFormat(a, b);
  checkZero(b);
  return arith('%', a, b, (x, y) => x - y * Math.floor(x / y));
}

export function pow(a: unknown, b: unknown): unknown {
  const r = arith('**', a, b, (x, y) => x ** y);
  return bothNumbers(a, b) && num(b) < 0 ? mkFloat(num(r)) : r;
}

export function neg(a: unknown): unknown {
  if (isUndefined(a)) a.fail();
  if (a instanceof PyObject) {
    const r = a.binop('neg', null, false);
    if (r !== undefined) return r;
  }
  if (!bothNumbers(a, 0)) throw new TemplateError(`bad operand type for unary -: '${typeName(a)}'`);
  return isFloat(a) ? mkFloat(-num(a)) : -num(a);
}

export function concat(a: unknown, b: unknown): string {
  return pyStr(a) + pyStr(b);
}

/** Python ==: structural for lists and dicts, 1 == 1.0 == True. */
export function eq(a: unknown, b: unknown): boolean {
  // like ansible's StrictUndefined: comparing an undefined value is an error, not False
  if (isUndefined(a)) a.fail();
  if (isUndefined(b)) b.fail();
  if (a === b) return true;
  if (a instanceof PyObject) return a.compareTo(b) === 0;
  if (b instanceof PyObject) return b.compareTo(a) === 0;
  if (bothNumbers(a, b)) return num(a) === num(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => eq(x, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const ka = mappingKeys(a);
    if (ka.length !== mappingKeys(b).length) return false;
    return ka.every((k) => {
      const r = mappingGet(b, k);
      return r.found && eq(mappingGet(a, k).value, r.value);
    });
  }
  return (a === null || a === undefined) && (b === null || b === undefined);
}

/** Python ordering: numbers, strings and lists (lexicographic); mixing types is an error. */
export function cmp(a: unknown, b: unknown, op: string): number {
  if (isUndefined(a)) a.fail();
  if (isUndefined(b)) b.fail();
  if (bothNumbers(a, b)) return Math.sign(num(a) - num(b));
  const o = a instanceof PyObject ? a.compareTo(b) : undefined;
  if (o !== undefined) return o;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!eq(a[i], b[i])) return cmp(a[i], b[i], op);
    }
    return Math.sign(a.length - b.length);
  }
  throw new TemplateError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==': return eq(a, b);
    case '!=': return !eq(a, b);
    case '<': return cmp(a, b, op) < 0;
    case '>': return cmp(a, b, op) > 0;
    case '<=': return cmp(a, b, op) <= 0;
    case '>=': return cmp(a, b, op) >= 0;
    default: throw new TemplateError(`unknown comparison operator ${op}`);
  }
}

/** Chained comparison `a < b < c` as Python does it: each pair, stopping at the first false. */
export function compareChain(parts: unknown[]): boolean {
  for (let i = 1; i < parts.length; i += 2) {
    if (!compare(parts[i - 1], parts[i] as string, parts[i + 1])) return false;
  }
  return true;
}

/** Python `in`: substring, list membership (==), mapping keys. */
export function inOp(item: unknown, container: unknown): boolean {
  if (isUndefined(container)) container.fail();
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new TemplateError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => eq(x, item));
  if (isVarSource(container)) return typeof item === 'string' && container.has(item);
  if (isMapping(container)) return mappingGet(container, pyKey(item)).found;
  throw new TemplateError(`argument of type '${typeName(container)}' is not iterable`);
}

/** JS object keys are strings; Python keys 1 and '1' differ but YAML maps rarely mix them. */
export function pyKey(k: unknown): string {
  return typeof k === 'string' ? k : pyStr(k);
}
