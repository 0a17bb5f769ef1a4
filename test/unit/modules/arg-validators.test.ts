import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { validatorCode } from '../../../build/arg-validators.js';
import { moduleTable } from '../../../engine/modules/registry.js';
import { AJV_OPTIONS } from '../../../engine/modules/validate.js';

type Validate = ((data: unknown) => boolean) & { errors?: { keyword: string; instancePath: string; params: unknown }[] | null };

/** What npm run build writes to dist/engine/modules/arg-validators/<module>.cjs, loaded like require does. */
function load(code: string): Validate & { schema: string } {
  const module = { exports: {} as Validate & { schema: string } };
  new Function('module', 'exports', 'require', code)(module, module.exports, () => {
    throw new Error('the generated validator requires nothing');
  });
  return module.exports;
}

/** Arguments that pass and that fail each way: nothing, an unknown key, and each argument with values of every type. */
function samples(schema: object): Record<string, unknown>[] {
  const props = Object.keys((schema as { properties?: object }).properties ?? {});
  const values: unknown[] = ['x', 1, 1.5, true, null, [], ['a'], { a: 1 }, 'no', 'yes'];
  return [{}, { bogus_argument: 1 }, ...props.flatMap((p) => values.map((v) => ({ [p]: v })))];
}

describe('argument validators compiled at build time', () => {
  const mods = [...new Set(moduleTable.values())];

  it('give the same verdict and first error as ajv compiling the schema at run time, for every module', () => {
    const ajv = new Ajv(AJV_OPTIONS);
    const differences: string[] = [];
    let failures = 0;
    for (const mod of mods) {
      const built = load(validatorCode(mod.schema));
      expect(built.schema).toBe(JSON.stringify(mod.schema));
      const runtime = ajv.compile(mod.schema);
      for (const args of samples(mod.schema)) {
        const a = runtime(args);
        const b = built(args);
        if (!a) failures++;
        const first = (f: Validate) => (f.errors?.[0] ? { k: f.errors[0].keyword, p: f.errors[0].instancePath, params: f.errors[0].params } : null);
        if (a !== b || JSON.stringify(first(runtime as Validate)) !== JSON.stringify(first(built))) differences.push(`${mod.name} ${JSON.stringify(args)}`);
      }
    }
    expect(differences).toEqual([]);
    expect(failures).toBeGreaterThan(mods.length);
  });
});
