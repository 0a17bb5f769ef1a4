import type { ModuleDef } from '../types/module.js';

export const failModule: ModuleDef = {
  name: 'fail',
  controllerOnly: true,
  supportsCheck: true,
  schema: { type: 'object', additionalProperties: false, properties: { msg: {} } },
  async run(ctx) {
    return { changed: false, failed: true, msg: ctx.args.msg ?? 'Failed as requested from task' };
  },
};
