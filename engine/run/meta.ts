import { TsplayError } from '../errors/index.js';
import type { TaskNode } from '../model/types.js';
import type { PlayContext } from './context.js';
import type { ExecScope } from './scope.js';
import type { StepOutcome } from './steps.js';
import { taskInfo } from './task-info.js';
import { hostVars } from './vars-builder.js';

const KNOWN = new Set(['flush_handlers', 'end_play', 'end_host', 'end_batch', 'clear_facts', 'clear_host_errors', 'noop', 'refresh_inventory', 'reset_connection']);
/** like ansible's linear strategy: these run for each host; every other meta runs once, on the first host. */
const PER_HOST = new Set(['noop', 'reset_connection', 'end_host', 'flush_handlers']);
/** ansible warns that these ignore `when`. */
const NO_WHEN = new Set(['noop', 'refresh_inventory', 'reset_connection']);

type Outcomes = Map<string, StepOutcome>;

/** ansible's _execute_meta wording for a meta task whose `when` is false. */
function skipWording(action: string, host: string): { msg: string; skip_reason: string } {
  const base = `${action} conditional evaluated to False`;
  switch (action) {
    case 'flush_handlers': return { msg: action, skip_reason: `${base}, not running handlers for ${host}` };
    case 'clear_facts': return { msg: action, skip_reason: `${base}, not clearing facts and fact cache for ${host}` };
    case 'clear_host_errors': return { msg: action, skip_reason: `${base}, not clearing host error state for ${host}` };
    case 'end_batch': return { msg: action, skip_reason: `${base}, continuing current batch` };
    case 'end_play': return { msg: action, skip_reason: `${base}, continuing play` };
    case 'end_host':
      return { msg: `end_host conditional evaluated to false, continuing execution for ${host}`, skip_reason: `${base}, continuing execution for ${host}` };
    default: return { msg: action, skip_reason: base };
  }
}

/** ansible's _execute_meta `msg` of an action that ran. */
function doneWording(action: string, host: string): string {
  switch (action) {
    case 'flush_handlers': return `triggered running handlers for ${host}`;
    case 'refresh_inventory': return 'inventory successfully refreshed';
    case 'clear_facts': return 'facts cleared';
    case 'clear_host_errors': return 'cleared host errors';
    case 'end_batch': return 'ending batch';
    case 'end_play': return 'ending play';
    case 'end_host': return `ending play for ${host}`;
    case 'reset_connection': return 'reset connection';
    default: return action;
  }
}

/** like ansible: `META: <msg or skip_reason>` at -vv for every meta the user wrote. */
function announce(pc: PlayContext, host: string, header: string): void {
  if (pc.run.options.verbosity >= 2) pc.run.emit({ kind: 'debug_log', level: 2, host, message: `META: ${header}` });
}

/** What a meta action does once its `when` held on `host`. */
async function apply(pc: PlayContext, action: string, host: string, hosts: readonly string[], out: Outcomes): Promise<void> {
  switch (action) {
    case 'end_play':
      pc.run.ledger.endPlay();
      for (const h of hosts) out.set(h, { kind: 'end_play' });
      return;
    case 'end_batch':
      for (const h of hosts) out.set(h, { kind: 'end_host' });
      return;
    case 'end_host':
      pc.run.ledger.end(host);
      out.set(host, { kind: 'end_host' });
      return;
    case 'clear_facts':
      // like ansible: clears the facts of every host of the play, whichever host ran it
      for (const h of pc.playHostsAll) pc.run.state.host(h).facts = {};
      return;
    case 'clear_host_errors':
      pc.run.ledger.clearErrors(pc.playHostsAll);
      return;
    case 'reset_connection':
      await pc.run.connections.reset(host);
      return;
    default:
      return;
  }
}

/**
 * meta: actions; they change the run, not a host, so they live beside the lockstep. Like ansible's
 * _execute_meta: each execution announces the task again and only a skip is reported as a host
 * result; meta results never count in the recap.
 */
export async function runMeta(
  pc: PlayContext,
  task: TaskNode,
  scope: ExecScope,
  hosts: readonly string[],
  flush: (hosts: readonly string[]) => Promise<Outcomes>,
): Promise<Outcomes> {
  const action = String(task.args._raw_params ?? task.args.free_form ?? '').trim();
  if (!KNOWN.has(action)) {
    throw new TsplayError('meta', `invalid meta action requested: ${action}`, { where: task.loc, hint: `one of: ${[...KNOWN].join(', ')}` });
  }
  const info = taskInfo(pc, task, hosts[0], scope);
  const conds = NO_WHEN.has(action) ? [] : [...scope.whens, ...(task.kw.when ?? [])];
  const out: Outcomes = new Map(hosts.map((h) => [h, { kind: 'done' } as StepOutcome]));
  const flushing: string[] = [];
  for (const h of PER_HOST.has(action) ? hosts : hosts.slice(0, 1)) {
    pc.run.emit({ kind: 'task_start', task: info });
    const vars = hostVars(pc, h, scope, task);
    if (!conds.every((c) => pc.run.templar.evaluateConditional(c, vars, { where: task.loc }))) {
      const result = { ...skipWording(action, h), skipped: true };
      pc.run.emit({ kind: 'host_result', task: info, host: h, status: 'skipped', result, ignored: false, noLog: false });
      announce(pc, h, result.skip_reason);
      continue;
    }
    announce(pc, h, doneWording(action, h));
    // like ansible's _execute_meta: a run-time error that ends the run
    if (action === 'flush_handlers' && task.isHandler) throw new TsplayError('meta', 'flush_handlers cannot be used as a handler', { where: task.loc });
    if (action === 'flush_handlers') flushing.push(h);
    else await apply(pc, action, h, hosts, out);
  }
  if (flushing.length > 0) for (const [h, o] of await flush(flushing)) out.set(h, o);
  return out;
}
