import type { ModuleDef } from '../types/module.js';

/** pause: seconds/minutes wait; interactive prompts are refused (tsplay runs unattended). */
export const pauseModule: ModuleDef = {
  name: 'pause',
  controllerOnly: true,
  supportsCheck: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { seconds: { type: ['integer', 'string'] }, minutes: { type: ['integer', 'string'] }, prompt: { type: 'string' }, echo: {} },
  },
  async run(ctx) {
    const seconds = Number(ctx.args.seconds ?? 0) + 60 * Number(ctx.args.minutes ?? 0);
    if (seconds <= 0) {
      return { changed: false, failed: true, msg: 'pause without seconds/minutes waits for a keypress, which tsplay does not support' };
    }
    const start = Date.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    return { changed: false, start: new Date(start).toISOString(), stop: new Date().toISOString(), delta: Math.round((Date.now() - start) / 1000), echo: true, stdout: `Paused for ${seconds} seconds`, user_input: '' };
  },
};
