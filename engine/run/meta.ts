import { TsplayError } from '../errors/index.js';
import type { TaskNode } from '../model/types.js';
import type { PlayContext } from './context.js';
import type { ExecScope } from './scope.js';
import type { StepOutcome } from './steps.js';
import { hostVars } from './vars-builder.js';

const KNOWN = new Set(['flush_handlers', 'end_play', 'end_host', 'end_batch', 'clear_facts', 'clear_host_errors', 'noop', 'refresh_inventory', 'reset_connection']);

/** meta: actions; they change the run, not a host, so they live beside the lockstep. */
export async function runMeta(
  pc: PlayContext,
  task: TaskNode,
  scope: ExecScope,
  hosts: readonly string[],
  flush: (hosts: readonly string[]) => Promise<Map<string, StepOutcome>>,
): Promise<Map<string, StepOutcome>> {
  const action = String(task.args._raw_params ?? task.args.free_form ?? '').trim();
  if (!KNOWN.has(action)) {
    throw new TsplayError('meta', `invalid meta action requested: ${action}`, { where: task.loc, hint: `one of: ${[...KNOWN].join(', ')}` });
  }
  if (action === 'flush_handlers') return flush(hosts);
  const conds = [...scope.whens, ...(task.kw.when ?? [])];
  const applies = hosts.filter((h) => conds.every((c) => pc.run.templar.evaluateConditional(c, hostVars(pc, h, scope, task), { where: task.loc })));
  const out = new Map<string, StepOutcome>(hosts.map((h) => [h, { kind: 'done' } as StepOutcome]));
  if (applies.length === 0) return out;
  switch (action) {
    case 'end_play':
      pc.ended = true;
      for (const h of hosts) out.set(h, { kind: 'end_play' });
      break;
    case 'end_host':
    case 'end_batch':
      for (const h of action === 'end_host' ? applies : hosts) out.set(h, { kind: 'end_host' });
      break;
    case 'clear_facts':
      for (const h of applies) pc.run.state.host(h).facts = {};
      break;
    case 'clear_host_errors':
      for (const h of pc.playHostsAll) pc.run.state.failedHosts.delete(h);
      break;
    case 'reset_connection':
      for (const h of applies) await pc.run.connections.reset(h);
      break;
    default:
      break;
  }
  return out;
}
