import { TemplateError, UndefinedVariableError } from '../../errors/index.js';

/**
 * A Python float whose value is integral (2.0). JS numbers cannot tell 2 from 2.0, and Jinja
 * prints them differently ("{{ 4 / 2 }}" is "2.0"), so only this case needs a wrapper;
 * non-integral JS numbers are always floats. Lives only inside a render.
 */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

/** A Python tuple: an array that prints as (a, b). Built by tuple(), never with `new PyTuple(n)`. */
/**
 * A Python object with its own type behaviour (datetime, timedelta): the operators in ops.ts
 * ask these hooks before their number/str/list rules, like Python's dunder methods.
 * Lives only inside a render; the result of a template is its str().
 */
export abstract class PyObject {
  abstract readonly pyType: string;
  abstract repr(): string;
  /** `self op other` (reflected: `other op self`); undefined is Python's NotImplemented. */
  binop(_op: string, _other: unknown, _reflected: boolean): unknown {
    return undefined;
  }
  /** Ordering against `other`: negative, 0, positive, or undefined when not comparable. */
  compareTo(_other: unknown): number | undefined {
    return undefined;
  }
  truthy(): boolean {
    return true;
  }
}

export class PyTuple<T = unknown> extends Array<T> {}

export function tuple<T>(items: readonly T[]): PyTuple<T> {
  const t = new PyTuple<T>();
  t.push(...items);
  return t;
}

/** The lazy variable source shape; also accepted as a mapping value (hostvars-like views). */
export interface VarSource {
  has(name: string): boolean;
  get(name: string): unknown;
  names(): Iterable<string>;
}

export function isVarSource(v: unknown): v is VarSource {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.has === 'function' && typeof o.get === 'function' && typeof o.names === 'function';
}

/**
 * Like ansible's AnsibleUndefined (a StrictUndefined): anything but `is defined`, `default`
 * and attribute chaining fails with the recorded message.
 */
export class Undefined {
  constructor(
    readonly name: string,
    readonly message: string = `'${name}' is undefined`,
    /** A variable whose own value failed to template: used, it raises that same error. */
    readonly original?: TemplateError,
  ) {}
  /** The error to throw when the value is used. */
  error(): TemplateError {
    if (this.original) return this.original;
    if (this.message === `'${this.name}' is undefined`) return new UndefinedVariableError(this.name);
    return new TemplateError(this.message, { hint: 'check the variable and attribute names' });
  }
  fail(): never {
    throw this.error();
  }
}

export function isUndefined(v: unknown): v is Undefined {
  return v instanceof Undefined;
}

/** Plain mapping check: objects from YAML/JSON, not arrays, not our wrapper classes. */
export function isDict(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Anything that behaves as a Python mapping: plain objects, Maps, VarSources. */
export function isMapping(v: unknown): boolean {
  return isDict(v) || v instanceof Map || isVarSource(v);
}

export function isNumber(v: unknown): boolean {
  return (typeof v === 'number' && !Number.isNaN(v)) || v instanceof PyFloat || typeof v === 'bigint';
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** Numeric value of a Python number (bool counts as int like in Python). */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  throw new TemplateError(`expected a number, got ${typeName(v)}`);
}

/** Builds a float result: integral values need the PyFloat wrapper to print as "2.0". */
export function mkFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/** The Python type name used in ansible's messages ('dict object', 'NoneType' ...). */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return 'list';
  if (isUndefined(v)) return 'AnsibleUndefined';
  if (v instanceof PyObject) return v.pyType;
  if (isMapping(v)) return 'dict';
  return 'object';
}

/** Mapping entries of plain objects, Maps and VarSources alike. */
export function mappingKeys(v: unknown): string[] {
  if (v instanceof Map) return [...v.keys()].map(String);
  if (isVarSource(v)) return [...v.names()];
  return Object.keys(v as object);
}

export function mappingGet(v: unknown, key: string): { found: boolean; value?: unknown } {
  if (v instanceof Map) return v.has(key) ? { found: true, value: v.get(key) } : { found: false };
  if (isVarSource(v)) return v.has(key) ? { found: true, value: v.get(key) } : { found: false };
  const o = v as Record<string, unknown>;
  return Object.prototype.hasOwnProperty.call(o, key) ? { found: true, value: o[key] } : { found: false };
}

/** A plain object copy of any mapping (forces lazy values). */
export function toDict(v: unknown): Record<string, unknown> {
  if (isDict(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of mappingKeys(v)) out[k] = mappingGet(v, k).value;
  return out;
}

/** Removes PyFloat wrappers so values leaving the template layer are plain data. */
export function toPlain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.some(needsPlain) ? v.map(toPlain) : v;
  if (isDict(v) && Object.values(v).some(needsPlain)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPlain(x);
    return out;
  }
  return v;
}

function needsPlain(v: unknown): boolean {
  return v instanceof PyFloat || Array.isArray(v) || isDict(v);
}
