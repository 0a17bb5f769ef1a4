import { TsplayError } from '../errors/index.js';
import type { TaskNode } from '../model/types.js';
import type { AsyncSpec } from '../types/module.js';
import type { LazyVars } from '../vars/var-source.js';
import type { PlayContext } from './context.js';

function seconds(v: unknown, name: string, task: TaskNode): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new TsplayError('task', `${name} must be a number of seconds, got ${String(v)}`, { where: task.loc });
  return Math.trunc(n);
}

/** A task's `async`/`poll` (templated), or undefined when it runs in the foreground (async 0 or unset). */
export function asyncSpec(pc: PlayContext, task: TaskNode, vars: LazyVars): AsyncSpec | undefined {
  const raw = task.async;
  if (raw === undefined || raw === null) return undefined;
  const t = pc.run.templar;
  const secs = seconds(t.template(raw, vars, { where: task.loc }), 'async', task);
  if (secs === 0) return undefined;
  // like ansible: poll defaults to 15 seconds
  const poll = task.poll === undefined || task.poll === null ? 15 : seconds(t.template(task.poll, vars, { where: task.loc }), 'poll', task);
  const dir = vars.has('ansible_async_dir') ? String(vars.get('ansible_async_dir')) : '~/.ansible_async';
  return { seconds: secs, poll, dir };
}
