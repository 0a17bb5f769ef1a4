import { ModuleArgsError } from '../errors/index.js';
import { sh } from '../transport/shell.js';
import type { ModuleDef } from '../types/module.js';
import { str } from './remote-file/args.js';
import { commandSchema, normalizeArgs, runCommand } from './command.js';

/** ansible.builtin.shell: the text runs under /bin/sh (or `executable`); cmd is the string. */
export const shell: ModuleDef = {
  name: 'shell',
  schema: commandSchema,
  freeForm: true,
  supportsCheck: true,
  supportsAsync: true,
  async run(ctx) {
    const args = normalizeArgs(ctx.args);
    const text = str(args.cmd) ?? str(args._raw_params) ?? '';
    if (text.trim() === '') return { changed: false, failed: true, rc: 256, msg: 'no command given' };
    const exe = str(args.executable) ?? '/bin/sh';
    // a nested shell keeps the user's `exit`/`cd` inside it, away from our chdir and markers
    return runCommand(ctx, { shellText: sh`${exe} -c ${text}`, cmdField: text, args });
  },
};
