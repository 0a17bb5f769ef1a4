import { ModuleArgsError } from '../errors/index.js';
import { sh } from '../transport/shell.js';
import type { ModuleDef, ModuleResult } from '../types/module.js';
import { STR, str } from './remote-file/args.js';
import { splitLines } from './command.js';

/** ansible.builtin.raw: the text as-is, output unstripped, always changed; no check mode. */
export const raw: ModuleDef = {
  name: 'raw',
  schema: { type: 'object', additionalProperties: false, properties: { _raw_params: STR, executable: STR } },
  freeForm: true,
  supportsCheck: false,
  async run(ctx) {
    const text = str(ctx.args._raw_params) ?? '';
    if (text.trim() === '') throw new ModuleArgsError('raw needs a command', { where: ctx.loc });
    const exe = str(ctx.args.executable);
    const command = exe === undefined ? text : sh`${exe} -c ${text}`;
    const run = await ctx.change('run raw text', command);
    // without check-mode support the runner skips the task in check mode before it gets here
    if (!run.applied) return { changed: false, skipped: true };
    const res = run.value;
    const out: ModuleResult = {
      changed: true, rc: res.rc, stdout: res.stdout, stderr: res.stderr,
      stdout_lines: splitLines(res.stdout), stderr_lines: splitLines(res.stderr),
    };
    if (res.rc !== 0) { out.failed = true; out.msg = 'non-zero return code'; }
    return out;
  },
};
