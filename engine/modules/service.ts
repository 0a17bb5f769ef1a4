import { ModuleArgsError } from '../errors/index.js';
import type { ModuleDef } from '../types/module.js';
import { BOOL, STR, str } from './remote-file/args.js';
import { failed } from './system/result.js';
import { readSystemdArgs, runSystemd } from './systemd_service.js';

export const serviceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: STR, state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] }, enabled: BOOL, sleep: { type: ['integer', 'string'] },
    pattern: STR, arguments: STR, args: STR, runlevel: STR, use: STR,
  },
} as const;

function factsServiceMgr(vars: Readonly<Record<string, unknown>>): string | undefined {
  const facts = vars.ansible_facts as Record<string, unknown> | undefined;
  return str(facts?.service_mgr) ?? str(vars.ansible_service_mgr);
}

/**
 * ansible.builtin.service: like ansible's service action, it hands the task to systemd_service
 * when the host runs systemd (from facts, else found by the same single probe).
 */
export const service: ModuleDef = {
  name: 'service',
  schema: serviceSchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    if (a.state === undefined && a.enabled === undefined) throw new ModuleArgsError('one of the following is required: state, enabled', { where: ctx.loc });
    const use = str(a.use) ?? 'auto';
    const mgr = use === 'auto' ? factsServiceMgr(ctx.vars) : use;
    const s = readSystemdArgs({ name: a.name, state: a.state, enabled: a.enabled });
    if (mgr !== undefined && mgr !== 'systemd') return failed(`tsplay's service module supports only systemd hosts (service_mgr is ${mgr})`, { name: s.unit });
    return runSystemd(ctx, s, mgr === undefined);
  },
};
