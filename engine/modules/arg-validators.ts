/**
 * Argument validators compiled at build time. `npm run build` replaces this file in dist/ with
 * one that loads ajv's standalone code of a module's schema from dist/engine/modules/
 * arg-validators/<module>.cjs on the module's first use (build/arg-validators.ts). From the
 * sources (tests) there are none and ModuleArgValidator compiles the schema with ajv instead.
 */
export interface PrecompiledValidator {
  /** ajv's generated function: true or false, with `errors` set like a compiled ValidateFunction. */
  readonly fn: ((data: unknown) => boolean) & { errors?: unknown[] | null };
  /** JSON.stringify of the schema it was generated from: used only while the module's schema is the same. */
  readonly schema: string;
}

export function precompiledValidator(name: string): PrecompiledValidator | undefined {
  void name;
  return undefined;
}
