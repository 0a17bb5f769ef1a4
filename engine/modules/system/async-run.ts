import type { ModuleContext, ModuleResult, AsyncSpec } from '../../types/module.js';
import { commandResult, skippedResult, type CommandSpec } from './command-result.js';
import { newJobId, newSeparator, parsePoll, pollScript, startScript, type JobPoll } from './async-job.js';

export interface AsyncStart {
  /** creates/removes test printing `marker`; runs before the job starts. */
  readonly before: string;
  readonly body: string;
  readonly marker: string;
  readonly stdin?: string;
}

/** A finished job's result in the shape ansible's async_status returns it. */
export function finishedJobResult(jid: string, p: JobPoll, fallbackCmd: unknown, args: Readonly<Record<string, unknown>>): ModuleResult {
  const job = { ansible_job_id: jid, finished: 1, started: 1, results_file: p.resultsFile };
  // like ansible's async_wrapper when the watchdog fired
  if (p.timedOut) return { ...job, changed: false, failed: true, msg: 'Timeout exceeded', cmd: p.status.cmd ?? fallbackCmd };
  const res = commandResult(p.status.cmd ?? fallbackCmd, args, {
    rc: p.rc ?? -1, stdout: p.stdout ?? '', stderr: p.stderr ?? '',
    startAt: new Date((p.startSec ?? 0) * 1000), endAt: new Date((p.endSec ?? 0) * 1000),
  });
  return { ...res, failed: res.failed === true, ...job };
}

/** The status of a job still running, like ansible's async_status. */
export function runningJobResult(jid: string, p: JobPoll): ModuleResult {
  return { ansible_job_id: jid, changed: false, failed: false, finished: 0, started: 1, results_file: p.resultsFile, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] };
}

export async function pollJob(ctx: ModuleContext, dir: string, jid: string, cleanup: boolean): Promise<JobPoll> {
  const sep = newSeparator();
  const res = await ctx.probe(pollScript(dir, jid, sep, cleanup));
  return parsePoll(res.stdout, sep);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last status a timed-out poll saw, like ansible's async_result (no changed/failed keys). */
function asyncResultOf(jid: string, last: JobPoll): Record<string, unknown> {
  const { changed: _c, failed: _f, ...rest } = runningJobResult(jid, last);
  return rest;
}

/** poll > 0: one round trip per poll until the job ends or `async` seconds pass (ansible's wording then). */
async function waitForJob(ctx: ModuleContext, a: AsyncSpec, jid: string, resultsFile: string, spec: CommandSpec): Promise<ModuleResult> {
  const started = Date.now();
  let last: JobPoll = { kind: 'running', resultsFile, status: {} };
  while (Date.now() - started < a.seconds * 1000) {
    await sleep(Math.min(a.poll * 1000, Math.max(0, a.seconds * 1000 - (Date.now() - started))) || 100);
    last = await pollJob(ctx, a.dir, jid, true);
    // the host's watchdog may fire before the controller's clock runs out: the same timeout
    if (last.kind === 'finished' && last.timedOut) break;
    if (last.kind === 'finished') return finishedJobResult(jid, last, spec.cmdField, spec.args);
    if (last.kind === 'missing') return { changed: false, failed: true, msg: 'could not find job', ansible_job_id: jid, started: 1, finished: 1 };
  }
  return {
    changed: false, failed: true, msg: `async task did not complete within the requested time - ${a.seconds}s`,
    async_result: asyncResultOf(jid, { ...last, kind: 'running' }),
  };
}

/** Like ansible's poll: 0 result, `"failed": 0` (a number) included. */
function fireAndForget(jid: string, resultsFile: string): ModuleResult {
  const r: ModuleResult = { ansible_job_id: jid, changed: true, finished: 0, results_file: resultsFile, started: 1 };
  return Object.assign(r, { failed: 0 }) as ModuleResult;
}

/**
 * Starts a command as an async job (one round trip, through the gate); waits for it unless poll
 * is 0. Undefined when check mode held the start back (the caller reports what would run).
 */
export async function runAsync(ctx: ModuleContext, spec: CommandSpec, s: AsyncStart): Promise<ModuleResult | undefined> {
  const a = ctx.async!;
  const jid = newJobId();
  const script = startScript(a, jid, s.before, s.body, s.stdin !== undefined, spec.cmdField);
  const started = await ctx.change('start the async job', script, s.stdin);
  if (!started.applied) return undefined;
  const res = started.value;
  if (s.before !== '' && res.stdout.startsWith(s.marker)) return skippedResult(spec.args, spec.cmdField, res.stdout.startsWith(`${s.marker}-C`));
  if (res.rc !== 0) return { changed: false, failed: true, rc: res.rc, msg: `could not start the async job in ${a.dir}: ${res.stderr.trim()}` };
  const resultsFile = res.stdout;
  // like ansible: poll 0 fires and forgets; async_status collects the result later
  if (a.poll === 0) return fireAndForget(jid, resultsFile);
  return waitForJob(ctx, a, jid, resultsFile, spec);
}
