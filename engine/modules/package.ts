import { runScript } from './remote-file/exec.js';
import type { ModuleContext, ModuleDef } from '../types/module.js';
import { STR, STR_LIST, str } from './remote-file/args.js';
import { apt } from './apt.js';
import { dnf } from './dnf.js';
import { failed } from './system/result.js';

export const packageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'state'],
  properties: { name: STR_LIST, state: STR, use: STR },
} as const;

/** pkg_mgr from facts, else found on the host (one extra round trip, as ansible's setup call). */
async function pkgMgr(ctx: ModuleContext): Promise<string> {
  const use = str(ctx.args.use) ?? 'auto';
  if (use !== 'auto') return use;
  const facts = ctx.vars.ansible_facts as Record<string, unknown> | undefined;
  const known = str(facts?.pkg_mgr) ?? str(ctx.vars.ansible_pkg_mgr);
  if (known !== undefined) return known;
  const res = await runScript(ctx, 'for m in apt-get dnf yum; do command -v $m >/dev/null 2>&1 && { echo $m; exit 0; }; done; echo unknown');
  const m = res.stdout.trim();
  return m === 'apt-get' ? 'apt' : m;
}

/** ansible.builtin.package: hands name/state to apt or dnf. */
export const packageModule: ModuleDef = {
  name: 'package',
  schema: packageSchema,
  supportsCheck: true,
  async run(ctx) {
    const mgr = await pkgMgr(ctx);
    const args = { name: ctx.args.name, state: ctx.args.state };
    if (mgr === 'apt') return apt.run({ ...ctx, args });
    if (mgr === 'dnf' || mgr === 'yum' || mgr === 'dnf5') return dnf.run({ ...ctx, args });
    return failed(`Could not find a module for ${mgr}.`);
  },
};
