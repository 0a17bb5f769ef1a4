import pLimit from 'p-limit';
import type { TaskNode } from '../model/types.js';
import type { TaskInfo } from '../types/events.js';
import { activeHosts, type PlayContext } from './context.js';
import { runIncludeOnHost } from './includes.js';
import type { StepRequest } from './lockstep.js';
import { runMeta } from './meta.js';
import { taskKeywords, type ExecScope } from './scope.js';
import type { Step, StepOutcome } from './steps.js';
import { taskInfo } from './task-info.js';
import { runTaskOnHost, type HostTaskOutcome } from './task-runner.js';
import { toBool } from './truthiness.js';
import { hostVars } from './vars-builder.js';
import { rootScope } from './scope.js';

type Group = StepRequest<Step, StepOutcome>[];

function countStats(pc: PlayContext, host: string, o: HostTaskOutcome): void {
  const s = pc.run.state.stat(host);
  switch (o.status) {
    case 'ok': s.ok++; break;
    case 'changed': s.ok++; s.changed++; break;
    case 'skipped': s.skipped++; break;
    // like ansible: an ignored unreachable result counts as ok + ignored and the host stays in the play
    case 'unreachable': if (o.ignored) { s.ok++; s.ignored++; } else s.unreachable++; break;
    case 'failed':
      // like ansible: an ignored failure counts as ok + ignored (and changed if it changed)
      if (o.ignored) {
        s.ok++;
        s.ignored++;
        if (o.result.changed === true) s.changed++;
      }
      break;
  }
}

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
  const targets = runOnce ? hosts.slice(0, 1) : hosts;
  const limit = pLimit(Math.max(1, Math.min(pc.run.options.forks, kw.throttle ? Number(kw.throttle) || Infinity : Infinity)));
  const outcomes = new Map<string, HostTaskOutcome>();
  await Promise.all(
    targets.map((host) =>
      limit(async () => {
        const o = await runTaskOnHost({ pc, host, task, info, scope });
        outcomes.set(host, o);
        countStats(pc, host, o);
        report(pc, info, host, o, kw.no_log !== undefined && toBool(kw.no_log));
        notifyHandlers(pc, task, scope, host, o);
      }),
    ),
  );
  if (runOnce) shareRunOnce(pc, task, scope, hosts, outcomes);
  // like ansible: a failure that a rescue will handle does not make the host failed for these policies
  if (!scope.rescuable) checkFailurePolicy(pc, kw, hosts, outcomes);
  return outcomes;
}

/**
 * like ansible: a run_once result (and its register) applies to every host of the batch, but
 * only the host that ran it notifies handlers (seen with ansible-core 2.14).
 */
function shareRunOnce(pc: PlayContext, task: TaskNode, scope: ExecScope, hosts: readonly string[], outcomes: Map<string, HostTaskOutcome>): void {
  const first = outcomes.get(hosts[0]!);
  if (!first) return;
  const firstState = pc.run.state.host(hosts[0]!);
  for (const h of hosts.slice(1)) {
    outcomes.set(h, first);
    if (task.register) pc.run.state.host(h).setFacts[task.register] = firstState.setFacts[task.register];
    if (task.action === 'set_fact') Object.assign(pc.run.state.host(h).setFacts, firstState.setFacts);
  }
}

/** any_errors_fatal and max_fail_percentage end the play and the rest of the playbook. */
function checkFailurePolicy(pc: PlayContext, kw: Readonly<Record<string, unknown>>, hosts: readonly string[], outcomes: Map<string, HostTaskOutcome>): void {
  const failedNow = [...outcomes.entries()].filter(([, o]) => (o.status === 'failed' || o.status === 'unreachable') && !o.ignored).map(([h]) => h);
  if (failedNow.length === 0) return;
  const anyFatal = kw.any_errors_fatal !== undefined ? toBool(kw.any_errors_fatal) : pc.run.options.anyErrorsFatal;
  let abort = anyFatal;
  const pct = pc.play.maxFailPercentage;
  if (!abort && pct !== undefined && pct !== null) {
    const batch = pc.batch;
    const failed = batch.filter((h) => failedNow.includes(h) || pc.run.state.failedHosts.has(h) || pc.run.state.unreachableHosts.has(h));
    abort = (failed.length / batch.length) * 100 > Number(pct);
  }
  if (!abort) return;
  pc.ended = true;
  pc.run.state.abortPlaybook = true;
  for (const h of activeHosts(pc, pc.batch)) if (!failedNow.includes(h)) pc.run.state.failedHosts.add(h);
}

async function runFlush(pc: PlayContext, hosts: readonly string[]): Promise<Map<string, StepOutcome>> {
  const out = new Map<string, StepOutcome>(hosts.map((h) => [h, { kind: 'done' } as StepOutcome]));
  let alive = [...hosts];
  for (let next = pc.book.next(alive); next; next = pc.book.next(alive)) {
    const scope = { ...rootScope(pc.play.kw), roles: next.handler.role ? [next.handler.role] : [] };
    const res = await runTaskGroup(pc, next.handler, scope, next.hosts);
    for (const [h, o] of res) {
      if ((o.status === 'failed' && !o.ignored) || o.status === 'unreachable') {
        out.set(h, { kind: 'handler_failed', unreachable: o.status === 'unreachable' });
        alive = alive.filter((x) => x !== h);
        pc.book.forget(h);
      }
    }
  }
  return out;
}

/** The lockstep's executor: runs what a group of waiting hosts asked for. */
export async function runGroup(pc: PlayContext, group: Group): Promise<void> {
  if (pc.ended) {
    for (const r of group) r.resolve({ kind: 'end_play' });
    return;
  }
  const step = group[0]!.step;
  const hosts = group.map((r) => r.host);
  const answer = (m: Map<string, StepOutcome>) => {
    for (const r of group) r.resolve(m.get(r.host) ?? { kind: 'done' });
  };
  switch (step.kind) {
    case 'task': {
      const res = await runTaskGroup(pc, step.task, step.scope, hosts);
      answer(new Map([...res].map(([h, o]) => [h, { kind: 'task', outcome: o } as StepOutcome])));
      return;
    }
    case 'include': {
      const info = taskInfo(pc, step.task, hosts[0], step.scope);
      pc.run.emit({ kind: 'task_start', task: info });
      const m = new Map<string, StepOutcome>();
      // like ansible: one "included:" line per file (and item) for all the hosts that include it
      const included = new Map<string, { file: string; item?: string; hosts: string[] }>();
      const announce = (file: string, host: string, item?: string) => {
        const key = `${file}\0${item ?? ''}`;
        const entry = included.get(key) ?? { file, item, hosts: [] };
        entry.hosts.push(host);
        included.set(key, entry);
      };
      for (const h of hosts) m.set(h, await runIncludeOnHost(pc, h, step.task, step.scope, info, announce));
      for (const e of included.values()) pc.run.emit({ kind: 'included', file: e.file, hosts: e.hosts, ...(e.item !== undefined ? { item: e.item } : {}) });
      answer(m);
      return;
    }
    case 'meta':
      answer(await runMeta(pc, step.task, step.scope, hosts, (hs) => runFlush(pc, hs)));
      return;
    case 'flush':
      answer(await runFlush(pc, hosts));
      return;
  }
}

