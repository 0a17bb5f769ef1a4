import type { ModuleDef } from '../types/module.js';
import { sh } from '../transport/shell.js';
import { dirWord } from './system/async-job.js';
import { finishedJobResult, pollJob, runningJobResult } from './system/async-run.js';

const EMPTY_OUTPUT = { stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] };

/**
 * async_status: one round trip reads a job started with `async:` (ansible_async_dir honoured);
 * `until: job.finished` polls it. mode: cleanup removes the job's files.
 */
export const asyncStatusModule: ModuleDef = {
  name: 'async_status',
  supportsCheck: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['jid'],
    properties: { jid: { type: 'string' }, mode: { enum: ['status', 'cleanup'] } },
  },
  async run(ctx) {
    const jid = String(ctx.args.jid);
    const dir = String(ctx.vars.ansible_async_dir ?? '~/.ansible_async');
    if (ctx.args.mode === 'cleanup') {
      const erase = await ctx.change('remove the async job files', sh`f=${dirWord(dir)}/${jid}; rm -f "$f" "$f".rc "$f".out "$f".err "$f".in "$f".pid "$f".killed; printf %s "$f"`);
      return { changed: false, ansible_job_id: jid, erased: erase.applied ? erase.value.stdout : '', started: 0, finished: 0, ...EMPTY_OUTPUT };
    }
    const p = await pollJob(ctx, dir, jid, false);
    if (p.kind === 'missing') return { changed: false, failed: true, msg: 'could not find job', ansible_job_id: jid, started: 1, finished: 1, results_file: p.resultsFile, ...EMPTY_OUTPUT };
    if (p.kind === 'running') return runningJobResult(jid, p);
    return finishedJobResult(jid, p, undefined, {});
  },
};
