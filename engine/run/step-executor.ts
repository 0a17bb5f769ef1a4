import type { PlayContext } from './context.js';
import { runIncludeOnHost } from './includes.js';
import { runMeta } from './meta.js';
import { rootScope, type ExecScope } from './scope.js';
import type { Node, TaskNode } from '../model/types.js';
import type { HostTaskOutcome } from './task-runner.js';
import type { StepOutcome } from './steps.js';
import type { StepRequest } from './strategy.js';
import { runTaskGroup } from './task-group.js';
import { taskInfo } from './task-info.js';

function tasksOf(nodes: readonly Node[]): TaskNode[] {
  return nodes.flatMap((n) => (n.kind === 'task' ? [n] : tasksOf([...n.block, ...n.always])));
}

/**
 * One handler for its notified hosts. Like ansible, a handler may be an include_tasks /
 * include_role: its tasks then run right away, as part of the handler, host by host.
 */
async function runHandler(pc: PlayContext, task: TaskNode, scope: ExecScope, hosts: readonly string[]): Promise<Map<string, HostTaskOutcome>> {
  if (task.action === 'meta') {
    // like ansible: a meta handler (noop, clear_facts ...) acts once and reports no host result
    await runMeta(pc, task, scope, hosts, async () => new Map());
    return new Map();
  }
  if (!task.dynamic) return runTaskGroup(pc, task, scope, hosts);
  const out = new Map<string, HostTaskOutcome>();
  for (const [h, o] of await runIncludeGroup(pc, { kind: 'include', task, scope }, hosts)) {
    if (o.kind !== 'include') continue;
    out.set(h, o.outcome);
    for (const exp of o.expansions) {
      for (const t of tasksOf(exp.nodes)) {
        const r = (await runHandler(pc, t, exp.scope, [h])).get(h);
        if (r !== undefined && ((r.status === 'failed' && !r.ignored) || r.status === 'unreachable')) {
          out.set(h, r);
          break;
        }
      }
    }
  }
  return out;
}

/** Runs the notified handlers for these hosts; a host whose handler fails stops running them. */
async function runFlush(pc: PlayContext, hosts: readonly string[]): Promise<Map<string, StepOutcome>> {
  const out = new Map<string, StepOutcome>(hosts.map((h) => [h, { kind: 'done' } as StepOutcome]));
  let alive = [...hosts];
  for (let next = pc.book.next(alive); next; next = pc.book.next(alive, next.index + 1)) {
    const scope = { ...rootScope(pc.play.kw), roles: next.handler.role ? [next.handler.role] : [] };
    const res = await runHandler(pc, next.handler, scope, next.hosts);
    pc.book.ran(next.handler, next.hosts);
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

/** include_tasks / include_role for a group: like ansible, one "included:" line per file (and item) for all its hosts. */
async function runIncludeGroup(pc: PlayContext, step: Extract<StepRequest['step'], { kind: 'include' }>, hosts: readonly string[]): Promise<Map<string, StepOutcome>> {
  const info = taskInfo(pc, step.task, hosts[0], step.scope);
  pc.run.emit({ kind: 'task_start', task: info });
  const m = new Map<string, StepOutcome>();
  const included = new Map<string, { file: string; item?: string; hosts: string[] }>();
  const announce = (file: string, host: string, item?: string) => {
    const key = `${file}\0${item ?? ''}`;
    const entry = included.get(key) ?? { file, item, hosts: [] };
    entry.hosts.push(host);
    included.set(key, entry);
  };
  for (const h of hosts) m.set(h, await runIncludeOnHost(pc, h, step.task, step.scope, info, announce));
  for (const e of included.values()) pc.run.emit({ kind: 'included', file: e.file, hosts: e.hosts, ...(e.item !== undefined ? { item: e.item } : {}) });
  return m;
}

/** What a strategy calls to run one step for a group of waiting hosts (any strategy). */
export async function executeGroup(pc: PlayContext, group: StepRequest[]): Promise<void> {
  // an interrupted run starts nothing new: every host leaves the play like after end_play
  if (pc.run.ledger.playEnded || pc.run.signal?.aborted) {
    for (const r of group) r.resolve({ kind: 'end_play' });
    return;
  }
  const step = group[0]!.step;
  const hosts = group.map((r) => r.host);
  const answer = (m: ReadonlyMap<string, StepOutcome>) => {
    for (const r of group) r.resolve(m.get(r.host) ?? { kind: 'done' });
  };
  switch (step.kind) {
    case 'task': {
      const res = await runTaskGroup(pc, step.task, step.scope, hosts);
      answer(new Map([...res].map(([h, o]) => [h, { kind: 'task', outcome: o } as StepOutcome])));
      return;
    }
    case 'include':
      answer(await runIncludeGroup(pc, step, hosts));
      return;
    case 'meta':
      answer(await runMeta(pc, step.task, step.scope, hosts, (hs) => runFlush(pc, hs)));
      return;
    case 'flush':
      answer(await runFlush(pc, hosts));
      return;
  }
}
