import { ModuleArgsError } from '../errors/index.js';
import { sh } from '../transport/shell.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { STR, STR_LIST, str } from './remote-file/args.js';
import { parseProbe, probeScript } from './remote-file/probe.js';
import { pyRegex } from './remote-file/pyre.js';
import { fileResultFields } from './remote-file/attrs.js';
import { failed } from './system/result.js';
import { parseSections, section, sectionText } from './system/sections.js';
import { WAIT_OK, waitScript, type WaitTarget } from './system/wait-script.js';

const INT = { type: ['integer', 'string'] } as const;

export const waitForSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: STR, port: INT, path: STR, search_regex: STR, state: { enum: ['absent', 'drained', 'present', 'started', 'stopped'] },
    delay: INT, timeout: INT, connect_timeout: INT, sleep: INT, msg: STR, exclude_hosts: STR_LIST, active_connection_states: STR_LIST,
  },
} as const;

function target(ctx: ModuleContext): WaitTarget {
  const a = ctx.args;
  const state = str(a.state) ?? 'started';
  const regex = str(a.search_regex);
  if (a.port !== undefined && a.path !== undefined) throw new ModuleArgsError('port and path parameter can not both be passed to wait_for', { where: ctx.loc });
  if (a.path !== undefined) {
    if (state === 'drained') throw new ModuleArgsError('state=drained should only be used for checking a port in the wait_for module', { where: ctx.loc });
    return { kind: 'path', path: str(a.path)!, state: state === 'absent' || state === 'stopped' ? 'absent' : 'present', regex };
  }
  if (a.port !== undefined) {
    const s = state === 'present' ? 'started' : state === 'absent' ? 'stopped' : state;
    return { kind: 'port', host: str(a.host) ?? '127.0.0.1', port: Number(a.port), state: s as 'started' | 'stopped' | 'drained', regex, connectTimeout: Number(a.connect_timeout ?? 5) };
  }
  if (state === 'drained') throw new ModuleArgsError('state=drained should only be used for checking a port in the wait_for module', { where: ctx.loc });
  return { kind: 'sleep' };
}

function timeoutMsg(t: WaitTarget): string {
  if (t.kind === 'path') {
    if (t.state === 'absent') return `Timeout when waiting for ${t.path} to be absent.`;
    return t.regex === undefined ? `Timeout when waiting for file ${t.path}` : `Timeout when waiting for search string ${t.regex} in ${t.path}`;
  }
  if (t.kind === 'port') {
    if (t.state === 'stopped') return `Timeout when waiting for ${t.host}:${t.port} to stop.`;
    if (t.state === 'drained') return `Timeout when waiting for ${t.host}:${t.port} to drain`;
    return t.regex === undefined ? `Timeout when waiting for ${t.host}:${t.port}` : `Timeout when waiting for search string ${t.regex} in ${t.host}:${t.port}`;
  }
  return 'Timeout';
}

function matchFields(regex: string | undefined, line: string): Record<string, unknown> {
  if (regex === undefined) return { match_groupdict: {}, match_groups: [] };
  const m = pyRegex(regex).exec(line);
  return { match_groupdict: { ...(m?.groups ?? {}) }, match_groups: m ? m.slice(1).map((g) => g ?? null) : [] };
}

/** ansible.builtin.wait_for: the polling loop runs on the host in one command, not per attempt. */
export const wait_for: ModuleDef = {
  name: 'wait_for',
  schema: waitForSchema,
  // like ansible 2.14: wait_for has no check mode; the task is skipped
  supportsCheck: false,
  async run(ctx) {
    const a = ctx.args;
    const t = target(ctx);
    const o = { delay: Number(a.delay ?? 0), timeout: Number(a.timeout ?? 300), sleep: Number(a.sleep ?? 1) };
    const extra = t.kind === 'path' && t.state === 'present'
      ? '\n' + section('after', t.regex === undefined ? '' : sh`grep -m1 -P -- ${t.regex} ${t.path} | head -c 65536; echo`) + '\n' + section('stat', probeScript([{ path: t.path, follow: true }]))
      : '';
    // waiting only reads the host: a probe
    const res = await ctx.probe((host) => host.exec(`${waitScript(t, o)}${extra ? ` && { ${extra}\n}` : ''}`, { timeoutMs: (o.timeout + o.delay + 60) * 1000 }));
    const m = /@@TSPLAY-WAIT-(OK|TIMEOUT) (\d+)/.exec(res.stdout);
    if (m === null) return failed(`wait_for failed on the host: ${res.stderr.trim() || `rc=${res.rc}`}`);
    const elapsed = Number(m[2]);
    if (m[0].startsWith(WAIT_OK) === false) return failed(str(a.msg) ?? timeoutMsg(t), { elapsed });
    const out: ModuleResult = {
      changed: false, elapsed, path: t.kind === 'path' ? t.path : null, port: t.kind === 'port' ? t.port : null,
      search_regex: str(a.search_regex) ?? null, state: str(a.state) ?? 'started', ...matchFields(str(a.search_regex), ''),
    };
    if (t.kind === 'path' && t.state === 'present') {
      const sec = parseSections(res.stdout.slice(res.stdout.indexOf(WAIT_OK)));
      Object.assign(out, matchFields(t.regex, sectionText(sec, 'after')));
      const [st] = parseProbe([{ path: t.path }], sec.get('stat') ?? '');
      if (st?.exists) Object.assign(out, fileResultFields(st));
    }
    return out;
  },
};
