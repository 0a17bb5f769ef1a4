import { splitModuleText } from './remote-file/shlex.js';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ModuleArgsError } from '../errors/index.js';
import { globWord, sh, verbatim } from '../transport/shell.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { STR, BOOL, str } from './remote-file/args.js';
import { normalizeArgs, splitLines } from './command.js';

/** creates/removes test as one shell snippet; answers 'C' or 'R' when the script must not run. */
function decide(args: Readonly<Record<string, unknown>>): string {
  const exists = (p: string): string => `( set -- ${globWord(p)}; [ -e "$1" ] || [ -L "$1" ] )`;
  const creates = str(args.creates);
  const removes = str(args.removes);
  let out = '';
  if (creates !== undefined) out += `if ${exists(creates)}; then echo C; exit 0; fi; `;
  if (removes !== undefined) out += `if ! ${exists(removes)}; then echo R; exit 0; fi; `;
  return out;
}

function skipped(args: Readonly<Record<string, unknown>>, which: string): ModuleResult {
  const msg = which === 'C' ? `${str(args.creates)} exists, matching creates option` : `${str(args.removes)} does not exist, matching removes option`;
  return { changed: false, skipped: true, msg };
}

/** Check mode (like ansible): creates/removes decide, otherwise the task is skipped. */
async function checkRun(ctx: ModuleContext, args: Readonly<Record<string, unknown>>, test: string): Promise<ModuleResult> {
  if (test === '') return { changed: false, skipped: true, msg: 'Check mode is not supported for this task.' };
  const res = await ctx.probe(`${test}echo RUN`);
  const which = res.stdout.trim();
  return which === 'RUN' ? { changed: true } : skipped(args, which);
}

/**
 * ansible.builtin.script: uploads a controller script (files/ lookup) to a temp path and runs it
 * with its arguments; creates/removes, upload and cleanup ride in as few round trips as we can:
 * putFile + one exec (the creates/removes test is folded into that exec).
 */
export const script: ModuleDef = {
  name: 'script',
  schema: { type: 'object', additionalProperties: false, properties: { _raw_params: STR, cmd: STR, creates: STR, removes: STR, chdir: STR, executable: STR, decrypt: BOOL } },
  freeForm: true,
  supportsCheck: true,
  async run(ctx) {
    const args = normalizeArgs(ctx.args);
    const parts = splitModuleText(str(args.cmd) ?? str(args._raw_params) ?? '');
    if (parts.length === 0) throw new ModuleArgsError('script needs a path', { where: ctx.loc });
    const chdir = str(args.chdir);
    if (chdir !== undefined && !chdir.startsWith('/')) return { changed: false, failed: true, msg: `chdir ${chdir} must be an absolute path for a Unix-aware remote node` };
    const source = ctx.findFile('files', parts[0]!);
    const test = decide(args);
    const data = await readFile(source);
    const tmp = `/tmp/.tsplay-script-${randomBytes(6).toString('hex')}`;
    const exe = str(args.executable);
    const argv = exe === undefined ? [tmp, ...parts.slice(1)] : [exe, tmp, ...parts.slice(1)];
    const run = chdir === undefined ? sh`${argv}` : sh`cd ${chdir} && ${argv}`;
    const cmd = sh`trap ${`rm -f ${tmp}`} EXIT; ${verbatim(test)}echo @@TSPLAY-RUN; ${verbatim(run)}`;
    const done = await ctx.change(`run script ${parts[0]!}`, async (host) => {
      await host.connection.putFile(tmp, data, 0o755);
      return host.exec(cmd);
    });
    if (!done.applied) return checkRun(ctx, args, test);
    const res = done.value;
    const marker = res.stdout.indexOf('@@TSPLAY-RUN\n');
    if (marker < 0) return skipped(args, res.stdout.trim());
    const stdout = res.stdout.slice(marker + '@@TSPLAY-RUN\n'.length);
    const out: ModuleResult = { changed: true, rc: res.rc, stdout, stderr: res.stderr, stdout_lines: splitLines(stdout), stderr_lines: splitLines(res.stderr) };
    if (res.rc !== 0) { out.failed = true; out.msg = 'non-zero return code'; }
    return out;
  },
};
