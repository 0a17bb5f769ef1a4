import type { ModuleDef } from '../types/module.js';

/** group_by: puts the current host into a group named from its variables. */
export const groupByModule: ModuleDef = {
  name: 'group_by',
  controllerOnly: true,
  supportsCheck: true,
  schema: { type: 'object', additionalProperties: false, required: ['key'], properties: { key: { type: 'string' }, parents: {} } },
  async run(ctx) {
    const group = String(ctx.args.key).replace(/[^A-Za-z0-9_]/g, '_');
    const p = ctx.args.parents;
    const parents = p === undefined ? [] : Array.isArray(p) ? p.map(String) : [String(p)];
    return { changed: false, add_group: group, parent_groups: parents, effects: [{ kind: 'group_by', group, parents }] };
  },
};
