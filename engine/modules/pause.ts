import type { ModuleDef } from '../types/module.js';
import { pyTime } from './command.js';

/** Like ansible's pause prompt: `[TASK NAME]\nPROMPT (output is hidden):`. */
function question(prompt: string | undefined, echo: boolean): string {
  const text = prompt ?? 'Press enter to continue, Ctrl+C to interrupt';
  return `[pause]\n${text}${echo ? '' : ' (output is hidden)'}:`;
}

function echoArg(v: unknown): boolean {
  return v === undefined || v === true || (typeof v === 'string' && /^(yes|true|on|1|y)$/i.test(v));
}

/**
 * pause, like ansible's action (which runs once per batch: bypassHostLoop): waits `seconds` or
 * `minutes`, or asks on the terminal and returns what was typed in `user_input`. Without a
 * terminal, like ansible, a prompt does not wait and the answer is empty (Kubespray's reset
 * confirmation then fails its check, as under ansible).
 */
export const pauseModule: ModuleDef = {
  name: 'pause',
  controllerOnly: true,
  supportsCheck: true,
  bypassHostLoop: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { seconds: { type: ['integer', 'string', 'number'] }, minutes: { type: ['integer', 'string', 'number'] }, prompt: { type: 'string' }, echo: {} },
  },
  async run(ctx) {
    const a = ctx.args;
    if (a.seconds !== undefined && a.minutes !== undefined) return { changed: false, failed: true, msg: 'parameters are mutually exclusive: minutes|seconds' };
    const echo = echoArg(a.echo);
    const timed = a.seconds !== undefined || a.minutes !== undefined;
    // like ansible: int() of the value, and at least one second
    const seconds = timed ? Math.max(1, Math.trunc(Number(a.seconds ?? 0) + 60 * Number(a.minutes ?? 0))) : 0;
    const startAt = new Date();
    let input = '';
    if (timed) await new Promise((r) => setTimeout(r, seconds * 1000));
    else input = (await ctx.ask?.(question(a.prompt as string | undefined, echo), { echo })) ?? '';
    const stopAt = new Date();
    const took = (stopAt.getTime() - startAt.getTime()) / 1000;
    const minutesUnit = a.seconds === undefined;
    const shown = minutesUnit ? Math.round((took / 60) * 100) / 100 : Math.round(took * 100) / 100;
    return {
      changed: false, rc: 0, stderr: '', echo, user_input: input,
      start: pyTime(startAt), stop: pyTime(stopAt), delta: Math.trunc(took),
      stdout: `Paused for ${pyFloat(shown)} ${minutesUnit ? 'minutes' : 'seconds'}`,
    };
  },
};

/** Python's str() of a float: 0.0, 1.01, 2.0. */
function pyFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}
