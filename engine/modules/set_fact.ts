import type { ModuleDef } from '../types/module.js';

/** like ansible: set_fact turns the strings yes/no/true/false into booleans (not "on" or "1"). */
function convertBoolString(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const l = v.toLowerCase();
  if (l === 'yes' || l === 'true') return true;
  if (l === 'no' || l === 'false') return false;
  return v;
}

export const setFactModule: ModuleDef = {
  name: 'set_fact',
  controllerOnly: true,
  supportsCheck: true,
  schema: { type: 'object', properties: { cacheable: {} }, minProperties: 1 },
  async run(ctx) {
    const { cacheable, ...rest } = ctx.args;
    const vars: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rest)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
        return { changed: false, failed: true, msg: `The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.` };
      }
      vars[k] = convertBoolString(v);
    }
    const isCacheable = cacheable === true || (typeof cacheable === 'string' && ['yes', 'true'].includes(cacheable.toLowerCase()));
    return { changed: false, ansible_facts: vars, effects: [{ kind: 'set_fact', vars, cacheable: isCacheable }] };
  },
};
