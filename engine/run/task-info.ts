import type { TaskNode } from '../model/types.js';
import type { TaskInfo } from '../types/events.js';
import { LazyVars } from '../vars/var-source.js';
import type { PlayContext } from './context.js';
import type { ExecScope } from './scope.js';
import { hostVars } from './vars-builder.js';

/**
 * ansible's task title: "role : name" (not for include_role), the action as written when unnamed; like the linear
 * strategy it is templated with the first host's vars (shown as written when that fails).
 */
export function taskInfo(pc: PlayContext, task: TaskNode, host?: string, scope?: ExecScope): TaskInfo {
  let name = task.name ?? task.actionWritten ?? task.action;
  // like ansible's IncludeRole.get_name(): an unnamed include_role is titled "include_role : ROLE"
  if (task.name === undefined && task.action === 'include_role') name = `include_role : ${String(task.args.name ?? task.args.role ?? '')}`;
  if (name.includes('{{')) {
    try {
      const vars = host === undefined ? playLevelVars(pc) : hostVars(pc, host, scope, task);
      name = String(pc.run.templar.template(name, vars));
    } catch {
      // like ansible (fail_on_undefined=False): a name that cannot be templated is shown as written
    }
  }
  const role = task.role?.name;
  // like ansible's IncludeRole.get_name(): an include_role task inside a role has no "role : " prefix
  const prefixed = role !== undefined && task.dynamic !== 'include_role';
  return { name: prefixed ? `${role} : ${name}` : name, action: task.action, loc: task.loc, isHandler: task.isHandler, role };
}

function playLevelVars(pc: PlayContext): LazyVars {
  return new LazyVars(
    [
      { layer: 'play_vars', source: 'play vars', vars: pc.play.kw.vars ?? {} },
      { layer: 'extra_vars', source: 'extra vars', vars: pc.run.options.extraVars },
    ],
    pc.run.templar,
  );
}
