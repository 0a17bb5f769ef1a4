import type { BlockNode, Node, TaskNode } from '../model/types.js';
import type { PlayContext } from './context.js';
import type { Strategy } from './strategy.js';
import { enterBlock, rootScope, type ExecScope } from './scope.js';
import { HostEnded, HostFailed, HostUnreachable } from './steps.js';
import { isTaskSelected } from './tags.js';
import { toBool } from '../python/boolean.js';

export interface WalkEnv {
  readonly pc: PlayContext;
  readonly strategy: Strategy;
  readonly host: string;
  /** --start-at-task: tasks before the named one are passed over. */
  readonly startAt: { found: boolean; readonly name?: string };
  /** Role instance keys (per host, per play) for ansible's Role.has_run; made by walkPlay. */
  readonly roleRuns?: RoleRuns;
}

/** ansible's Role._had_task_run and Role._completed for one host. */
interface RoleRuns {
  readonly hadTaskRun: Set<string>;
  readonly completed: Set<string>;
}

/**
 * The lockstep key: hosts wait for each other at the same position of the same task. The
 * task's source location is part of it because an include can expand to different files per
 * host (include_role: "{{ host_var }}"), whose tasks then sit at the same positions.
 */
function keyOf(node: Node, position: readonly number[]): string {
  return `${position.join('.')}@${node.loc.file}:${node.loc.line}:${node.loc.col}`;
}

async function runTask(env: WalkEnv, task: TaskNode, scope: ExecScope, position: readonly number[]): Promise<void> {
  if (!isTaskSelected(env.pc, task, scope)) return;
  if (!env.startAt.found) {
    if (task.name !== env.startAt.name) return;
    env.startAt.found = true;
  }
  const kind = task.dynamic ? 'include' : task.action === 'meta' ? 'meta' : 'task';
  const out = await env.strategy.request(env.host, position, keyOf(task, position), { kind, task, scope });
  switch (out.kind) {
    case 'task':
      // like ansible's strategy: a role "ran" on a host once one of its own tasks was not skipped
      if (task.role !== undefined && (out.outcome.status === 'ok' || out.outcome.status === 'changed' || out.outcome.status === 'failed')) {
        env.roleRuns?.hadTaskRun.add(task.role.key);
      }
      if (out.outcome.status === 'unreachable' && !out.outcome.ignored) throw new HostUnreachable();
      if (out.outcome.status === 'failed' && !out.outcome.ignored) throw new HostFailed(task, out.outcome.result, out.outcome.sharedRunOnce !== true);
      return;
    case 'include': {
      // like ansible's linear strategy: an include_role that cannot load its role fails the host
      // without a failure in the recap (include_tasks' missing file counts one)
      if (out.outcome.status === 'failed' && !out.outcome.ignored) throw new HostFailed(task, out.outcome.result, task.dynamic !== 'include_role', true);
      let i = 0;
      for (const exp of out.expansions) await walkNodes(env, exp.nodes, exp.scope, [...position, i++]);
      return;
    }
    case 'end_host':
      throw new HostEnded('host');
    case 'end_play':
      throw new HostEnded('play');
    case 'handler_failed':
      if (out.unreachable) throw new HostUnreachable();
      throw new HostFailed(undefined, {});
    case 'done':
      return;
  }
}

/** block/rescue/always as try/catch/finally (design.md §3), with ansible's special cases. */
async function runBlock(env: WalkEnv, block: BlockNode, parent: ExecScope, position: readonly number[]): Promise<void> {
  const role = block.roleBoundary;
  if (role !== undefined) {
    // like ansible's Role.has_run: a role that completed on this host is not run there again,
    // unless this occurrence allows duplicates (its completion still counts for its twins)
    if (!role.allowDuplicates && env.roleRuns?.completed.has(role.key)) return;
    await runBlockBody(env, block, parent, position);
    // like ansible's implicit meta role_complete at the role's end
    if (env.roleRuns?.hadTaskRun.has(role.key)) env.roleRuns.completed.add(role.key);
    return;
  }
  await runBlockBody(env, block, parent, position);
}

async function runBlockBody(env: WalkEnv, block: BlockNode, parent: ExecScope, position: readonly number[]): Promise<void> {
  const scope = enterBlock(parent, block);
  // like ansible 2.14: while a rescue or always section is still to run, a failure does not count
  // for any_errors_fatal / max_fail_percentage (the host is not "failed" in its iterator yet)
  const hasAlways = block.always.length > 0;
  let error: unknown;
  try {
    await walkNodes(env, block.block, block.rescue.length > 0 || hasAlways ? { ...scope, rescuable: true } : scope, [...position, 0]);
  } catch (e) {
    error = e;
  }
  if (error instanceof HostFailed && block.rescue.length > 0) {
    const facts = env.pc.run.state.host(env.host).setFacts;
    facts.ansible_failed_task = error.task ? { name: error.task.name ?? null, action: error.task.action } : {};
    facts.ansible_failed_result = error.result;
    if (!error.fromInclude) env.pc.run.ledger.rescue(env.host);
    else if (error.counted) env.pc.run.ledger.countFailure(env.host);
    error = undefined;
    try {
      await walkNodes(env, block.rescue, hasAlways ? { ...scope, rescuable: true } : scope, [...position, 1]);
    } catch (e) {
      error = e;
    }
  }
  // An unreachable or ended host does not run `always`, like ansible.
  if (!(error instanceof HostUnreachable) && !(error instanceof HostEnded) && hasAlways) {
    const ledger = env.pc.run.ledger;
    const clears = ledger.clears(env.host);
    try {
      await walkNodes(env, block.always, scope, [...position, 2]);
    } catch (e) {
      // a host that failed before the play ended (another host's any_errors_fatal) stays failed
      if (!(error instanceof HostFailed && e instanceof HostEnded)) throw e;
    }
    // like ansible's iterator.clear_host_errors: a meta clear_host_errors in `always` resets the
    // host's failed state, so it goes on after the block; the failure still counts in the recap
    if (error instanceof HostFailed && ledger.clears(env.host) !== clears) {
      if (error.counted) ledger.countFailure(env.host);
      error = undefined;
    }
  }
  if (error !== undefined) throw error;
}

export async function walkNodes(env: WalkEnv, nodes: readonly Node[], scope: ExecScope, position: readonly number[]): Promise<void> {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.kind === 'block') await runBlock(env, node, scope, [...position, i]);
    else await runTask(env, node, scope, [...position, i]);
  }
}

/** One host's way through a play: sections in order, handlers flushed after each. */
export async function walkPlay(hostEnv: WalkEnv): Promise<void> {
  const env: WalkEnv = { ...hostEnv, roleRuns: hostEnv.roleRuns ?? { hadTaskRun: new Set(), completed: new Set() } };
  const play = env.pc.play;
  const scope = rootScope(play.kw);
  let s = 0;
  let flushing = false;
  try {
    for (; s < play.sections.length; s++) {
      await walkNodes(env, play.sections[s]!, scope, [s * 2 + 1]);
      flushing = true;
      const out = await env.strategy.request(env.host, [s * 2 + 2], `flush:${s}`, { kind: 'flush' });
      flushing = false;
      if (out.kind === 'handler_failed') throw out.unreachable ? new HostUnreachable() : new HostFailed(undefined, {});
    }
  } catch (e) {
    const ledger = env.pc.run.ledger;
    if (e instanceof HostFailed) {
      // like ansible: a failed run_once task fails every host but counts once, on the host that ran it
      if (e.counted) ledger.markFailed(env.host);
      else ledger.failWithoutCount(env.host);
      // like ansible's force_handlers: a host that failed in a section still runs its pending handlers there
      const forced = play.forceHandlers !== undefined && play.forceHandlers !== null ? toBool(play.forceHandlers) : env.pc.run.options.forceHandlers;
      if (forced && !flushing) await env.strategy.request(env.host, [s * 2 + 2], `flush:${s}`, { kind: 'flush' });
    } else if (e instanceof HostUnreachable) {
      ledger.markUnreachable(env.host);
    } else if (e instanceof HostEnded) {
      if (e.scopeOfEnd === 'play') ledger.endPlay();
    } else throw e;
  } finally {
    env.strategy.leave(env.host);
  }
}
