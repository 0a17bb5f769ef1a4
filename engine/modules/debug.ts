import type { ModuleDef } from '../types/module.js';

/** debug: msg (already templated) or var (an expression, evaluated like ansible's convert_bare). */
export const debugModule: ModuleDef = {
  name: 'debug',
  controllerOnly: true,
  supportsCheck: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { msg: {}, var: { type: 'string' }, verbosity: { type: ['integer', 'string'] } },
  },
  async run(ctx) {
    if (ctx.args.var !== undefined && ctx.args.msg !== undefined) {
      return { changed: false, failed: true, msg: "'msg' and 'var' are incompatible options" };
    }
    const verbosity = Number(ctx.args.verbosity ?? 0);
    if (Number(ctx.vars.ansible_verbosity ?? 0) < verbosity) {
      return { changed: false, skipped: true, skipped_reason: 'Verbosity threshold not met.' };
    }
    if (ctx.args.var !== undefined) {
      const name = String(ctx.args.var);
      let value: unknown;
      try {
        value = ctx.templating.evaluate(name);
      } catch (e) {
        // like ansible: only an undefined variable prints the placeholder; a loop fails the task
        if (e instanceof Error && e.message.startsWith('recursive loop detected')) throw e;
        value = 'VARIABLE IS NOT DEFINED!';
      }
      if (value === undefined) value = 'VARIABLE IS NOT DEFINED!';
      // like ansible's debug action: from -v the error is appended (known here for a plain name)
      if (value === 'VARIABLE IS NOT DEFINED!' && Number(ctx.vars.ansible_verbosity ?? 0) > 0 && /^[A-Za-z_]\w*$/.test(name)) {
        value = `VARIABLE IS NOT DEFINED!: '${name}' is undefined. '${name}' is undefined`;
      }
      return { changed: false, [name]: value, _ansible_verbose_always: true };
    }
    return { changed: false, msg: ctx.args.msg === undefined ? 'Hello world!' : ctx.args.msg, _ansible_verbose_always: true };
  },
};
