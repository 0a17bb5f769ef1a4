import type { ModuleDef } from '../types/module.js';

/** assert: every `that` must hold; fail_msg/msg on the first that does not. */
export const assertModule: ModuleDef = {
  name: 'assert',
  controllerOnly: true,
  supportsCheck: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['that'],
    properties: { that: {}, fail_msg: {}, msg: {}, success_msg: {}, quiet: { type: ['boolean', 'string'] } },
  },
  async run(ctx) {
    const conds = Array.isArray(ctx.args.that) ? ctx.args.that : [ctx.args.that];
    const quiet = ctx.args.quiet === true || ctx.args.quiet === 'yes' || ctx.args.quiet === 'true';
    for (const c of conds) {
      if (!ctx.templating.conditional(c)) {
        return {
          changed: false,
          failed: true,
          assertion: c,
          evaluated_to: false,
          msg: ctx.args.fail_msg ?? ctx.args.msg ?? 'Assertion failed',
        };
      }
    }
    return { changed: false, msg: ctx.args.success_msg ?? 'All assertions passed', _ansible_verbose_always: !quiet };
  },
};
