import type { ModuleDef } from '../types/module.js';

/** add_host: a new in-memory inventory host (name, groups, and any other arg as a host var). */
export const addHostModule: ModuleDef = {
  name: 'add_host',
  controllerOnly: true,
  supportsCheck: true,
  schema: { type: 'object', required: [], properties: { name: { type: 'string' }, hostname: { type: 'string' }, host: { type: 'string' }, groups: {}, group: {}, groupname: {} } },
  async run(ctx) {
    const { name, hostname, host, groups, group, groupname, ...vars } = ctx.args;
    const hostName = String(name ?? hostname ?? host ?? '');
    if (hostName === '') return { changed: false, failed: true, msg: 'add_host needs name' };
    const g = groups ?? group ?? groupname;
    const list = g === undefined ? [] : Array.isArray(g) ? g.map(String) : String(g).split(',').map((s) => s.trim());
    return { changed: true, add_host: { host_name: hostName, groups: list, host_vars: vars }, effects: [{ kind: 'add_host', name: hostName, groups: list, vars }] };
  },
};
