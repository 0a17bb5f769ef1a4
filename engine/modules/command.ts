import { expandingWord, globWord, randomWord, sh, verbatim } from '../transport/shell.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, STR, str } from './remote-file/args.js';
import { extractKv, splitModuleText } from './remote-file/shlex.js';
import { runAsync } from './system/async-run.js';
import { commandResult, skippedResult, splitLines, type CommandSpec } from './system/command-result.js';

export { commandResult, pyDelta, pyTime, skippedResult, splitLines, type CommandSpec } from './system/command-result.js';

/** Keys ansible's parse_kv lifts out of command/shell free-form text. */
export const COMMAND_KV_KEYS = ['creates', 'removes', 'chdir', 'executable', 'stdin', 'stdin_add_newline', 'strip_empty_ends'] as const;

export const commandSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    _raw_params: STR, cmd: STR, argv: { type: 'array', items: { type: ['string', 'number'] } },
    creates: STR, removes: STR, chdir: STR, executable: STR, stdin: STR,
    stdin_add_newline: BOOL, strip_empty_ends: BOOL, expand_argument_vars: BOOL,
  },
} as const;

/** Free-form text with creates=/chdir=... lifted out, merged over the structured args. */
export function normalizeArgs(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const raw = str(args._raw_params);
  if (raw === undefined) return { ...args };
  const { rest, kv } = extractKv(raw, COMMAND_KV_KEYS);
  // text without creates=/chdir=... stays exactly as written (a multi-line script keeps its lines)
  if (Object.keys(kv).length === 0) return { ...args };
  return { ...kv, ...args, _raw_params: rest };
}

/**
 * Shell text that prints MARKER-C (creates exists) or MARKER-R (removes missing) and stops
 * before the command; '' when neither argument is given. creates/removes may be globs.
 */
function decideScript(args: Readonly<Record<string, unknown>>, marker: string): string {
  const exists = (p: string): string => `( set -- ${globWord(p)}; [ -e "$1" ] || [ -L "$1" ] )`;
  const creates = str(args.creates);
  const removes = str(args.removes);
  let out = '';
  if (creates !== undefined) out += `if ${exists(creates)}; then echo ${marker}-C; exit 0; fi\n`;
  if (removes !== undefined) out += `if ! ${exists(removes)}; then echo ${marker}-R; exit 0; fi\n`;
  return out;
}

/**
 * Runs a command spec in ONE round trip: the creates/removes test is folded into the same
 * shell text and answers with a random marker instead of running the command.
 */
export async function runCommand(ctx: ModuleContext, spec: CommandSpec): Promise<ModuleResult> {
  const { args } = spec;
  const marker = `@@TSPLAY-SKIP-${randomWord()}`;
  const decide = decideScript(args, marker);
  const chdir = str(args.chdir);
  // like ansible: a chdir that fails fails the task before the command runs; `-P` because the
  // module's os.chdir() resolves symlinks, so the command's $PWD is the physical directory
  const body = chdir === undefined ? spec.shellText : sh`{ cd -P ${chdir} 2>/dev/null || { echo ${`${marker}-D`}; exit 1; }; } && ${verbatim(spec.shellText)}`;
  const stdinText = str(args.stdin);
  const stdin = stdinText === undefined ? undefined : stdinText + (bool(args.stdin_add_newline, true) ? '\n' : '');
  if (ctx.async !== undefined) return (await runAsync(ctx, spec, { before: decide, body, marker, stdin })) ?? checkModeResult(ctx, spec, decide, marker);
  const startAt = new Date();
  const run = await ctx.change('run the command', decide + body, stdin);
  if (!run.applied) return checkModeResult(ctx, spec, decide, marker);
  const res = run.value;
  const endAt = new Date();
  if (chdir !== undefined && res.stdout.startsWith(`${marker}-D`)) {
    return { changed: false, failed: true, cmd: spec.cmdField, rc: null, msg: `Unable to change directory before execution: [Errno 2] No such file or directory: b'${chdir}'` };
  }
  if (decide !== '' && res.stdout.startsWith(marker)) return skippedResult(args, spec.cmdField, res.stdout.startsWith(`${marker}-C`));
  return commandResult(spec.cmdField, args, { ...res, startAt, endAt });
}

/** Like ansible: without creates/removes the task is skipped; with them it reports what would run. */
async function checkModeResult(ctx: ModuleContext, spec: CommandSpec, decide: string, marker: string): Promise<ModuleResult> {
  const base = { cmd: spec.cmdField, rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], start: null, end: null, delta: null, msg: 'Command would have run if not in check mode' };
  if (decide === '') return { ...base, changed: false, skipped: true };
  const res = await ctx.probe(`${decide}true`);
  if (res.stdout.startsWith(marker)) return skippedResult(spec.args, spec.cmdField, res.stdout.startsWith(`${marker}-C`), true);
  return { ...base, changed: true };
}

/** like ansible's command module: argument problems fail the task with rc 256. */
function commandArgv(args: Readonly<Record<string, unknown>>): string[] | ModuleResult {
  const text = str(args.cmd) ?? str(args._raw_params) ?? '';
  const hasArgv = Array.isArray(args.argv) && args.argv.length > 0;
  if (hasArgv && text.trim() !== '') return { changed: false, failed: true, rc: 256, msg: 'only command or argv can be given, not both' };
  if (hasArgv) return (args.argv as unknown[]).map(String);
  if (text.trim() === '') return { changed: false, failed: true, rc: 256, msg: 'no command given' };
  // unbalanced quotes: like ansible, MODULE FAILURE for this task (or loop item) only
  return splitModuleText(text);
}

/** ansible.builtin.command: runs argv without a shell (each word quoted, so no injection). */
export const command: ModuleDef = {
  name: 'command',
  schema: commandSchema,
  freeForm: true,
  supportsCheck: true,
  supportsAsync: true,
  async run(ctx) {
    const args = normalizeArgs(ctx.args);
    const argv = commandArgv(args);
    if (!Array.isArray(argv)) return argv;
    const res = await runCommand(ctx, { shellText: argv.map(expandingWord).join(' '), cmdField: argv, args });
    // like ansible's command module: executable is ignored, with a warning
    const exe = str(args.executable);
    if (exe === undefined) return res;
    return { ...res, warnings: [`As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${exe}'.`] };
  },
};
