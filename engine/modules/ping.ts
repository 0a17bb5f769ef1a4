import type { ModuleDef } from '../types/module.js';

/**
 * ansible.builtin.ping: proves the host is reachable (the connection opens) and echoes `data`.
 * Like ansible's module, data=crash makes it fail on purpose.
 */
export const ping: ModuleDef = {
  name: 'ping',
  schema: { type: 'object', additionalProperties: false, properties: { data: { type: 'string' } } },
  supportsCheck: true,
  async run(ctx) {
    // like ansible's ping: the host must answer (the connection opens, nothing runs)
    await ctx.probe(async () => undefined);
    const data = ctx.args.data === undefined ? 'pong' : String(ctx.args.data);
    if (data === 'crash') return { changed: false, failed: true, msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error', exception: 'Exception: boom' };
    return { changed: false, ping: data };
  },
};
