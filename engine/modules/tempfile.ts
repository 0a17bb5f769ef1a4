import { sh, verbatim } from '../transport/shell.js';
import type { ModuleDef } from '../types/module.js';
import { fileResultFields } from './remote-file/attrs.js';
import { runScript } from './remote-file/exec.js';
import { parseProbe, probeScript } from './remote-file/probe.js';
import { STR, str } from './remote-file/args.js';

/**
 * ansible.builtin.tempfile: mktemp on the host (prefix "ansible.", like ansible), then the new
 * path's owner/mode/size in the same exec. Not idempotent by design: always changed.
 */
export const tempfile: ModuleDef = {
  name: 'tempfile',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { state: { enum: ['file', 'directory'] }, path: STR, prefix: STR, suffix: STR },
  },
  supportsCheck: false,
  async run(ctx) {
    const a = ctx.args;
    const template = `${str(a.prefix) ?? 'ansible.'}XXXXXXXX${str(a.suffix) ?? ''}`;
    // like ansible: without `path` the host's TMPDIR (expanded there), else /tmp
    const where = str(a.path) ?? verbatim('"${TMPDIR:-/tmp}"');
    const made = sh`p=$(mktemp ${verbatim(a.state === 'directory' ? '-d ' : '')}-p ${where} ${template}) || exit 1; printf '@@TSPLAY-TEMP %s\\n' "$p"`;
    const res = await runScript(ctx, made);
    const path = /@@TSPLAY-TEMP (.*)/.exec(res.stdout)?.[1];
    if (res.rc !== 0 || path === undefined) return { changed: false, failed: true, msg: `tempfile failed: ${res.stderr.trim()}` };
    const [st] = parseProbe([{ path }], (await runScript(ctx, probeScript([{ path }]))).stdout);
    return { changed: true, path, ...(st!.exists ? fileResultFields(st!) : {}) };
  },
};
