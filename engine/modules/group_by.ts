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
    const parents = p === undefined ? ['all'] : Array.isArray(p) ? p.map(String) : [String(p)];
    // like ansible's InventoryManager.add_dynamic_group: changed when the host joins the group or
    // a parent group is new
    const mine = (ctx.vars.group_names ?? []) as readonly string[];
    const known = (ctx.vars.groups ?? {}) as Readonly<Record<string, unknown>>;
    const changed = !mine.includes(group) || parents.some((g) => !(g in known));
    return { changed, add_group: group, parent_groups: parents, effects: [{ kind: 'group_by', group, parents }] };
  },
};
