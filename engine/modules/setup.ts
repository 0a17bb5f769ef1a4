import { gatherFacts } from '../facts/gather.js';
import type { ModuleDef } from '../types/module.js';

function list(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** setup / gather_facts: facts in one round trip (engine/facts), handed to the run as an effect. */
export const setupModule: ModuleDef = {
  name: 'setup',
  aliases: ['gather_facts'],
  supportsCheck: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      gather_subset: { type: ['array', 'string'] },
      filter: { type: ['array', 'string'] },
      gather_timeout: { type: ['integer', 'string'] },
      fact_path: { type: 'string' },
    },
  },
  async run(ctx) {
    const facts = await ctx.probe((host) => gatherFacts(host.connection, {
      subset: list(ctx.args.gather_subset),
      filter: list(ctx.args.filter),
      become: host.become,
      // like ansible: the task's environment is the module's, so ansible_env shows it
      env: host.env,
      timeoutMs: ctx.args.gather_timeout === undefined ? undefined : Number(ctx.args.gather_timeout) * 1000,
    }));
    const unprefixed = new Set(['gather_subset', 'module_setup']); // ansible leaves these two bare
    const prefixed = Object.fromEntries(Object.entries(facts).map(([k, v]) => [k.startsWith('ansible_') || unprefixed.has(k) ? k : `ansible_${k}`, v]));
    return { changed: false, ansible_facts: prefixed, effects: [{ kind: 'facts', facts }] };
  },
};
