import { TsplayError } from '../errors/index.js';
import type { TaskNode } from '../model/types.js';
import type { Templar } from '../template/index.js';
import type { LazyVars } from '../vars/var-source.js';

export interface ResolvedAction {
  readonly action: string;
  readonly args: Record<string, unknown>;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The module name and templated arguments of a task for one host (or item), like ansible's
 * TaskExecutor: a templated action name ("{{ mod }}") resolves here, and templated free-form
 * text on a k=v module (_variable_params) must template to a mapping that the args extend.
 */
export function resolveTaskAction(task: TaskNode, templar: Templar, vars: LazyVars): ResolvedAction {
  const action = task.action.includes('{{')
    ? String(templar.template(task.action, vars, { where: task.loc })).trim().replace(/^ansible\.(builtin|legacy)\./, '')
    : task.action;
  const templated = templar.template(task.args, vars, { where: task.loc }) as Record<string, unknown>;
  let args = templated;
  if ('_variable_params' in templated) {
    const { _variable_params: extra, ...rest } = templated;
    if (!isMapping(extra)) {
      // like ansible: the task's msg is the bare message
      throw new TsplayError('task', `invalid or malformed argument: '${String(extra)}'`, { hint: 'write the arguments as key=value pairs or as a mapping' });
    }
    args = { ...extra, ...rest };
  }
  // like ansible's set_fact action: the variable names are templated too ("{{ item }}=moo")
  if (action === 'set_fact') args = Object.fromEntries(Object.entries(args).map(([k, v]) => [String(templar.template(k, vars, { where: task.loc })), v]));
  return { action, args };
}
