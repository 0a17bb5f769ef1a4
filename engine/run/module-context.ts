import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { TsplayError } from '../errors/index.js';
import type { TaskNode } from '../model/types.js';
import type { BecomeSpec } from '../types/connection.js';
import type { ModuleContext } from '../types/module.js';
import type { LazyVars } from '../vars/var-source.js';
import { varsObjectView } from '../vars/var-source.js';
import { becomeSpec, connectionParams } from './connection-params.js';
import type { PlayContext } from './context.js';
import type { ExecScope } from './scope.js';
import { hostVars } from './vars-builder.js';
import { toBool } from '../python/boolean.js';

/** Where ansible looks for a controller file: the role chain's folder, then the play's. */
export function searchDirs(pc: PlayContext, scope: ExecScope, kind: string): string[] {
  const dirs: string[] = [];
  for (const r of [...scope.roles].reverse()) dirs.push(join(r.path, kind), r.path);
  dirs.push(join(pc.play.playbookDir, kind), pc.play.playbookDir);
  return dirs;
}

/**
 * Where lookups (file, template ...) in a task look, like ansible's _get_search_path: the role
 * chain, the folder of the task's own file, then the folder of the playbook being run; each
 * tried with the lookup's subfolder (files/, templates/) and without.
 */
export function lookupDirs(pc: PlayContext, scope: ExecScope, task: TaskNode): string[] {
  const dirs = [...scope.roles].reverse().map((r) => r.path);
  dirs.push(dirname(task.loc.file), pc.play.playbookDir);
  return dirs.filter((d, i) => dirs.indexOf(d) === i);
}

export function findControllerFile(pc: PlayContext, scope: ExecScope, kind: string, name: string, where: TaskNode['loc']): string {
  if (isAbsolute(name)) {
    if (existsSync(name)) return name;
  } else {
    const hit = searchDirs(pc, scope, kind).map((d) => join(d, name)).find((p) => existsSync(p));
    if (hit !== undefined) return hit;
  }
  throw new TsplayError('file-not-found', `Could not find or access '${name}' on the Ansible Controller.`, {
    where,
    hint: `searched: ${searchDirs(pc, scope, kind).join(', ')}`,
  });
}

export interface TaskTarget {
  /** The host whose connection runs the module: the task host or its delegate. */
  readonly connectHost: string;
  readonly delegatedTo?: string;
}

/** Merges `environment:` entries (outermost first) into one map of strings. */
export function taskEnvironment(entries: readonly unknown[], vars: LazyVars, pc: PlayContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const v = pc.run.templar.template(entry, vars);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, val] of Object.entries(v as Record<string, unknown>)) env[k] = val === null ? '' : String(val);
    }
  }
  return env;
}

export function buildModuleContext(
  pc: PlayContext,
  host: string,
  task: TaskNode,
  scope: ExecScope,
  kw: Readonly<Record<string, unknown>>,
  vars: LazyVars,
  args: Readonly<Record<string, unknown>>,
  target: TaskTarget,
): ModuleContext {
  const run = pc.run;
  const check = kw.check_mode === undefined ? run.options.check : toBool(kw.check_mode);
  const diff = kw.diff === undefined ? run.options.diff : toBool(kw.diff);
  const become: BecomeSpec | undefined = becomeSpec(vars, kw, run.options);
  return {
    host,
    args,
    loc: task.loc,
    check,
    diff,
    become,
    env: taskEnvironment(scope.environment.concat(task.kw.environment ?? []), vars, pc),
    connection: () => {
      const inInventory = run.state.inventory.hosts.has(target.connectHost);
      const cvars = target.delegatedTo === undefined ? vars : hostVars(pc, target.connectHost);
      return run.connections.get(connectionParams(target.connectHost, cvars, kw, run.options, inInventory));
    },
    findFile: (kind, name) => findControllerFile(pc, scope, kind, name, task.loc),
    templating: {
      renderFile: (text, extraVars, opts) => {
        // like ansible's template action: ansible_managed is defined for templates only
        const templateVars = { ...(vars.has('ansible_managed') ? {} : { ansible_managed: 'Ansible managed' }), ...(extraVars ?? {}) };
        return run.templar.renderText(text, vars.with([{ layer: 'loop', source: 'template vars', vars: templateVars, final: true }]), {
          where: task.loc,
          searchPaths: searchDirs(pc, scope, 'templates'),
          ...opts,
        });
      },
      evaluate: (expr) => run.templar.evaluateExpression(expr, vars, { where: task.loc }),
      conditional: (expr, extraVars) =>
        run.templar.evaluateConditional(expr, extraVars ? vars.with([{ layer: 'loop', source: 'extra', vars: extraVars, final: true }]) : vars, { where: task.loc }),
    },
    vars: varsObjectView(() => vars),
    log: (level, message) => {
      if (run.options.verbosity >= level) run.emit({ kind: 'debug_log', level, host, message: run.redactor.text(message) });
    },
  };
}
