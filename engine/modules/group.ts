import { sh } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, STR, STR_OR_NUM, str } from './remote-file/args.js';
import { parseGroup } from './system/accounts.js';
import { errText, failed } from './system/result.js';

export const groupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: STR, gid: STR_OR_NUM, state: { enum: ['present', 'absent'] }, system: BOOL, local: BOOL, non_unique: BOOL, force: BOOL },
} as const;

/** ansible.builtin.group: one getent probe; groupadd/groupmod/groupdel to apply. */
export const group: ModuleDef = {
  name: 'group',
  schema: groupSchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const name = str(a.name)!;
    const present = (str(a.state) ?? 'present') === 'present';
    const gid = str(a.gid);
    const system = bool(a.system, false);
    const res = await runScript(ctx, sh`getent group -- ${name} || true`);
    const cur = parseGroup(res.stdout.split('\n')[0] ?? '');
    let cmd: string[] | undefined;
    if (!present && cur !== undefined) cmd = ['groupdel', name];
    else if (present && cur === undefined) cmd = ['groupadd', ...(gid ? ['-g', gid] : []), ...(bool(a.non_unique, false) ? ['-o'] : []), ...(system ? ['-r'] : []), name];
    else if (present && cur !== undefined && gid !== undefined && Number(gid) !== cur.gid) cmd = ['groupmod', '-g', gid, ...(bool(a.non_unique, false) ? ['-o'] : []), name];
    const out: ModuleResult = present
      ? { changed: cmd !== undefined, name, state: 'present', gid: gid === undefined ? cur?.gid : Number(gid), system }
      : { changed: cmd !== undefined, name, state: 'absent' };
    if (cmd === undefined) return out;
    const done = await ctx.change(`${cmd[0]!} ${name}`, sh`${cmd} && (getent group -- ${name} || true)`);
    if (!done.applied) return out;
    const r = done.value;
    if (r.rc !== 0) return failed(errText(r), { name });
    const after = parseGroup(r.stdout.split('\n')[0] ?? '');
    if (present && after !== undefined) out.gid = after.gid;
    return out;
  },
};
