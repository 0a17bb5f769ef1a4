import { createRequire } from 'node:module';
import type { Ajv as AjvType, ErrorObject } from 'ajv';
import { ModuleArgsError } from '../errors/index.js';
import { precompiledValidator } from './arg-validators.js';
import type { SourceLoc } from '../types/source.js';
import type { ModuleDef } from '../types/module.js';

/** Keys the engine passes to every module that are not user arguments. */
const INTERNAL = new Set(['_raw_params']);

function validNames(mod: ModuleDef): string[] {
  const props = (mod.schema as { properties?: Record<string, unknown> }).properties ?? {};
  return Object.keys(props).filter((k) => !INTERNAL.has(k)).sort();
}

function describe(mod: ModuleDef, err: ErrorObject, args: Readonly<Record<string, unknown>>): string {
  const key = err.instancePath.split('/')[1];
  switch (err.keyword) {
    case 'additionalProperties': {
      const extra = (err.params as { additionalProperty: string }).additionalProperty;
      return `Unsupported parameters for (${mod.name}) module: ${extra}. Supported parameters include: ${validNames(mod).join(', ')}.`;
    }
    case 'required':
      return `missing required arguments: ${(err.params as { missingProperty: string }).missingProperty}`;
    case 'enum':
      return `value of ${key} must be one of: ${((err.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}, got: ${String(key ? args[key] : '')}`;
    case 'type':
      return `argument '${key}' is of type ${typeof (key ? args[key] : undefined)} and we were unable to convert to ${(err.params as { type: string }).type}`;
    default:
      return `${key ? `argument '${key}' ` : ''}${err.message ?? 'is invalid'}`;
  }
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

/** The options the schemas are compiled with, at run time here and at build time (build/arg-validators.ts). */
export const AJV_OPTIONS = { allErrors: false, strict: false, coerceTypes: false } as const;

const requireCjs = createRequire(import.meta.url);

function isStringProp(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'string';
}

/** Python's str() of a scalar YAML gave where a string was expected. */
function pyScalarStr(v: boolean | number): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
}

function convertStrings(mod: ModuleDef, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const props = (mod.schema as { properties?: Record<string, unknown> }).properties ?? {};
  const args: Record<string, unknown> = { ...given };
  for (const [k, v] of Object.entries(given)) {
    if ((typeof v === 'boolean' || typeof v === 'number') && isStringProp(props[k])) args[k] = pyScalarStr(v);
  }
  return args;
}

/**
 * Checks module arguments against each module's JSON schema. The bundled CLI has them compiled
 * at build time; otherwise each is compiled once per run on its module's first use (ajv itself
 * is loaded then, not at start). Errors name the module, the argument and the valid ones, like
 * ansible's "Unsupported parameters for (copy) module".
 */
export class ModuleArgValidator {
  #ajv: AjvType | undefined;
  readonly #compiled = new Map<ModuleDef, Validate>();

  #validator(mod: ModuleDef): Validate {
    let fn = this.#compiled.get(mod);
    if (fn !== undefined) return fn;
    const pre = precompiledValidator(mod.name);
    if (pre !== undefined && pre.schema === JSON.stringify(mod.schema)) fn = pre.fn;
    else {
      // no `new (x as T).Ajv()`: tsc's output drops those parentheses and calls `new x` instead
      const { Ajv } = requireCjs('ajv') as { Ajv: new (o: typeof AJV_OPTIONS) => AjvType };
      this.#ajv ??= new Ajv(AJV_OPTIONS);
      fn = this.#ajv.compile(mod.schema);
    }
    this.#compiled.set(mod, fn);
    return fn;
  }

  /**
   * Validates, after converting booleans and numbers given to string arguments like ansible's
   * check_type_str (allow_conversion: `creates: yes` becomes 'True', silently).
   */
  check(mod: ModuleDef, given: Readonly<Record<string, unknown>>, where?: SourceLoc): Record<string, unknown> {
    const args = convertStrings(mod, given);
    const fn = this.#validator(mod);
    if (fn(args)) return args;
    const err = fn.errors![0] as ErrorObject;
    throw new ModuleArgsError(describe(mod, err, args), { where, hint: `valid arguments of ${mod.name}: ${validNames(mod).join(', ')}` });
  }
}
