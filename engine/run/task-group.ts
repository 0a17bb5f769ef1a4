import pLimit from 'p-limit';
import type { TaskNode } from '../model/types.js';
import type { TaskInfo } from '../types/events.js';
import type { PlayContext } from './context.js';
import { applyFailurePolicy } from './failure-policy.js';
import { taskKeywords, type ExecScope } from './scope.js';
import { taskInfo } from './task-info.js';
import { runTaskOnHost, type HostTaskOutcome } from './task-runner.js';
import { toBool } from '../python/boolean.js';
import { hostVars } from './vars-builder.js';
import { lookupModule } from '../modules/registry.js';
import { TsplayError } from '../errors/index.js';
import { isLockstep } from './strategies.js';

function report(pc: PlayContext, info: TaskInfo, host: string, o: HostTaskOutcome, noLog: boolean): void {
  pc.run.emit({ kind: 'host_result', task: info, host, status: o.status, result: o.result, delegatedTo: o.delegatedTo, ignored: o.ignored, noLog });
}

function notifyHandlers(pc: PlayContext, task: TaskNode, scope: ExecScope, host: string, o: HostTaskOutcome): void {
  // like ansible: include_tasks' apply: {notify: ...} notifies for the included tasks
  const names = task.notify ?? scope.notifyParent;
  if (!names || o.result.changed !== true || (o.status === 'failed' && !o.ignored)) return;
  for (const name of names) {
    // like ansible: notify entries are templated with the host's vars ("{{ handler_name }}")
    const resolved = name.includes('{{') || name.includes('{%') ? pc.run.templar.template(name, hostVars(pc, host, scope, task), { where: task.loc }) : name;
    // like ansible: a notify entry that templates to a list notifies each of its names
    for (const one of Array.isArray(resolved) ? resolved : [resolved]) pc.book.notify(host, String(one), task.loc);
  }
}

/** Runs one task for a group of hosts, forks at a time; run_once runs on the first only. */
export async function runTaskGroup(pc: PlayContext, task: TaskNode, scope: ExecScope, hosts: readonly string[]): Promise<Map<string, HostTaskOutcome>> {
  const info = taskInfo(pc, task, hosts[0], scope);
  pc.run.emit({ kind: 'task_start', task: info });
  const kw = taskKeywords(scope, task);
  const runOnce = kw.run_once !== undefined && toBool(kw.run_once);
  const lockstep = isLockstep(pc.strategy);
  if (!lockstep) warnFree(pc, task, kw, runOnce);
  // like ansible's BYPASS_HOST_LOOP (pause): once, on the first host; the others get no result
  const targets = runOnce || lookupModule(task.action)?.bypassHostLoop === true ? hosts.slice(0, 1) : hosts;
  const limit = pLimit(Math.max(1, Math.min(pc.run.options.forks, kw.throttle ? Number(kw.throttle) || Infinity : Infinity)));
  const outcomes = new Map<string, HostTaskOutcome>();
  await Promise.all(
    targets.map((host) =>
      limit(async () => {
        // interrupted: the host keeps a recap row but starts nothing, and a task cut short by
        // the interrupt is not the host's failure (ansible prints nothing for it)
        if (pc.run.signal?.aborted) return void pc.run.ledger.countOk(host, 0);
        const o = await runTaskOnHost({ pc, host, task, info, scope });
        if (pc.run.signal?.aborted && o.status === 'failed') return void pc.run.ledger.countOk(host, 0);
        outcomes.set(host, o);
        pc.run.ledger.count(host, o.status, { ignored: o.ignored, changed: o.result.changed === true });
        report(pc, info, host, o, kw.no_log !== undefined && toBool(kw.no_log));
        notifyHandlers(pc, task, scope, host, o);
      }),
    ),
  );
  const delegateFacts = kw.delegate_facts !== undefined && toBool(kw.delegate_facts);
  if (runOnce && lockstep) shareRunOnce(pc, task, hosts, outcomes, delegateFacts);
  // like ansible's free strategy: every host runs it, and each result lands on all hosts of the batch
  if (runOnce && !lockstep) shareRegister(pc, task, hosts[0]!, pc.batch.filter((h) => h !== hosts[0] && !pc.run.ledger.isUnreachable(h)), delegateFacts);
  // like ansible: a failure that a rescue or always section will handle does not make the host
  // failed for these policies (yet); the free strategies apply neither
  if (!scope.rescuable && lockstep) applyFailurePolicy(pc, kw, outcomes);
  return outcomes;
}

/**
 * like ansible: a run_once result (and its register) applies to every host of the batch, but
 * only the host that ran it notifies handlers (seen with ansible-core 2.14), and a failure
 * counts once, on that host; facts with delegate_facts went to their delegates only (ansible's
 * get_delegated_hosts).
 */
function shareRunOnce(pc: PlayContext, task: TaskNode, hosts: readonly string[], outcomes: Map<string, HostTaskOutcome>, delegateFacts: boolean): void {
  const first = outcomes.get(hosts[0]!);
  if (!first) return;
  for (const h of hosts.slice(1)) outcomes.set(h, { ...first, sharedRunOnce: true });
  shareRegister(pc, task, hosts[0]!, hosts.slice(1), delegateFacts);
}

/** A run_once task's register (and set_fact facts) copied from the host that ran it to `others`. */
function shareRegister(pc: PlayContext, task: TaskNode, from: string, others: readonly string[], delegateFacts: boolean): void {
  const firstState = pc.run.state.host(from);
  for (const h of others) {
    if (task.register) pc.run.state.host(h).setFacts[task.register] = firstState.setFacts[task.register];
    if (task.action === 'set_fact' && !delegateFacts) Object.assign(pc.run.state.host(h).setFacts, firstState.setFacts);
  }
}

/** like ansible's free strategy: what it does not support is a warning (once: the controller's Display), pause an error. */
function warnFree(pc: PlayContext, task: TaskNode, kw: Readonly<Record<string, unknown>>, runOnce: boolean): void {
  const warn = (message: string) => pc.run.emit({ kind: 'warning', message, once: true });
  if (lookupModule(task.action)?.bypassHostLoop === true) {
    throw new TsplayError('strategy', `The '${task.action}' module bypasses the host loop, which is currently not supported in the free strategy and would instead execute for every host in the inventory list.`, {
      where: task.loc,
      hint: 'run it in a play with strategy: linear',
    });
  }
  if (runOnce) warn('Using run_once with the free strategy is not currently supported. This task will still be executed for every host in the inventory list.');
  const fatal = kw.any_errors_fatal !== undefined ? toBool(kw.any_errors_fatal) : pc.run.options.anyErrorsFatal;
  if (fatal) warn('Using any_errors_fatal with the free strategy is not supported, as tasks are executed independently on each host');
}
