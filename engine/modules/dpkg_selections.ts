import { sh } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { ModuleDef } from '../types/module.js';
import { STR, str } from './remote-file/args.js';
import { errText, failed } from './system/result.js';

export const dpkgSelectionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'selection'],
  properties: { name: STR, selection: { enum: ['install', 'hold', 'deinstall', 'purge'] } },
} as const;

/** ansible.builtin.dpkg_selections: how kubespray-style roles hold kubelet/kubeadm versions on apt hosts. */
export const dpkg_selections: ModuleDef = {
  name: 'dpkg_selections',
  schema: dpkgSelectionsSchema,
  supportsCheck: true,
  async run(ctx) {
    const name = str(ctx.args.name)!;
    const selection = str(ctx.args.selection)!;
    const res = await runScript(ctx, sh`dpkg --get-selections -- ${name} 2>/dev/null; true`);
    const line = res.stdout.split('\n').find((l) => l.split(/\s+/)[0]?.replace(/:[a-z0-9]+$/, '') === name);
    // like ansible: a package dpkg does not know is 'not present'
    const before = line === undefined ? 'not present' : line.trim().split(/\s+/)[1]!;
    const changed = before !== selection;
    if (!changed) return { changed, before, after: selection };
    const done = await ctx.change(`set ${name} to ${selection}`, 'dpkg --set-selections', `${name} ${selection}\n`);
    if (done.applied && done.value.rc !== 0) return failed(errText(done.value), { before, after: selection });
    return { changed, before, after: selection };
  },
};
