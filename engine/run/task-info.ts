import type { TaskNode } from '../model/types.js';
import type { TaskInfo } from '../types/events.js';
import { LazyVars } from '../vars/var-source.js';
import type { PlayContext } from './context.js';

/** ansible's task title: "role : name", the action when unnamed, templated with play vars if it can be. */
export function taskInfo(pc: PlayContext, task: TaskNode): TaskInfo {
  let name = task.name ?? task.action;
  // like ansible's IncludeRole.get_name(): an unnamed include_role is titled "include_role : ROLE"
  if (task.name === undefined && task.action === 'include_role') name = `include_role : ${String(task.args.name ?? task.args.role ?? '')}`;
  if (name.includes('{{')) {
    try {
      const vars = new LazyVars(
        [
          { layer: 'play_vars', source: 'play vars', vars: pc.play.kw.vars ?? {} },
          { layer: 'extra_vars', source: 'extra vars', vars: pc.run.options.extraVars },
        ],
        pc.run.templar,
      );
      name = String(pc.run.templar.template(name, vars));
    } catch {
      // like ansible: a name that cannot be templated yet is shown as written
    }
  }
  const role = task.role?.name;
  return { name: role ? `${role} : ${name}` : name, action: task.action, loc: task.loc, isHandler: task.isHandler, role };
}
