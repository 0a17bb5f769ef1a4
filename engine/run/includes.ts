import { dirname, join } from 'node:path';
import { ParseError, TsplayError } from '../errors/index.js';
import { pythonRepr } from '../template/index.js';
import type { Keywords, Node, RawVars, TaskNode } from '../model/types.js';
import type { TaskInfo } from '../types/events.js';
import type { VarLayerEntry } from '../vars/layers.js';
import type { LazyVars } from '../vars/var-source.js';
import type { PlayContext } from './context.js';
import { loopItems, loopItemVars, loopTemplating, templatedLoopControl } from './loops.js';
import { searchDirs } from './module-context.js';
import { ansibleLocation, conditionalError, ConditionalError, isUndefinedError } from './task-errors.js';
import { failedResult, removeOmit, skippedResult } from './results.js';
import { enterInclude, taskKeywords, type ExecScope } from './scope.js';
import { keywordBool } from './keyword-values.js';
import type { StepOutcome } from './steps.js';
import { toBool } from '../python/boolean.js';
import { hostVars } from './vars-builder.js';
import { asList, asTags } from '../model/normalize.js';
import { findTaskFile } from '../model/task-file-path.js';

function resolveIncludeFile(pc: PlayContext, task: TaskNode, name: string): string {
  const { hit, candidates } = findTaskFile(name, { roleDir: task.role?.path, subdir: task.isHandler ? 'handlers' : 'tasks', fileDir: dirname(task.loc.file), playbookDir: pc.play.playbookDir });
  if (hit === undefined) {
    throw new TsplayError('include', `Could not find or access '${candidates[0]!}' on the Ansible Controller.`, { where: task.loc, hint: `searched: ${candidates.join(', ')}` });
  }
  return hit;
}

function loadIncludedTasks(pc: PlayContext, task: TaskNode, file: string): readonly Node[] {
  const key = `${file}|${task.role?.instance ?? ''}|${task.isHandler}`;
  let nodes = pc.includeCache.get(key);
  if (nodes === undefined) {
    const collect = { handlers: [] as Node[], roles: [], seenRoles: new Set<string>(), playVars: pc.play.kw.vars ?? {} };
    nodes = pc.loader.tasks.parseFile(file, {
      role: task.role,
      isHandler: task.isHandler,
      collect,
      staticVars: { ...(pc.play.kw.vars ?? {}), ...pc.run.options.extraVars },
    }, task.loc);
    pc.includeCache.set(key, nodes);
  }
  return nodes;
}

function loadIncludedRole(pc: PlayContext, task: TaskNode, args: RawVars): readonly Node[] {
  const name = String(args.name ?? args.role ?? '');
  const key = `role:${name}|${JSON.stringify(args)}`;
  let nodes = pc.includeCache.get(key);
  if (nodes === undefined) {
    const collect = { handlers: [] as Node[], roles: [], seenRoles: new Set<string>(), playVars: pc.play.kw.vars ?? {} };
    const loaded = pc.loader.roles.loadDynamic(
      {
        name, params: {}, entryVars: {}, kw: {}, loc: task.loc,
        tasksFrom: args.tasks_from as string | undefined, varsFrom: args.vars_from as string | undefined,
        defaultsFrom: args.defaults_from as string | undefined, handlersFrom: args.handlers_from as string | undefined,
        public: args.public === undefined ? false : toBool(args.public),
        ...(args.allow_duplicates === undefined ? {} : { allowDuplicates: toBool(args.allow_duplicates) }),
        ...(args.rolespec_validate === undefined ? {} : { validate: toBool(args.rolespec_validate) }),
      },
      { isHandler: false, collect, staticVars: {} },
    );
    pc.book.addHandlers(loaded.handlers);
    if (loaded.role?.public) pc.publicIncludedRoles.push(loaded.role);
    nodes = loaded.nodes;
    pc.includeCache.set(key, nodes);
  }
  return nodes;
}

function applyKeywords(args: RawVars): Keywords | undefined {
  const a = args.apply as Record<string, unknown> | undefined;
  if (!a) return undefined;
  return { ...a, when: a.when === undefined ? undefined : asList(a.when), tags: a.tags === undefined ? undefined : asTags(a.tags) } as Keywords;
}

function expand(pc: PlayContext, task: TaskNode, scope: ExecScope, vars: LazyVars, loopVars: RawVars): { nodes: readonly Node[]; scope: ExecScope; file: string } {
  // like ansible's TaskExecutor: omitted arguments are gone before the include is processed
  const args = removeOmit(pc.run.templar.template(task.args, vars, { where: task.loc }), pc.run.omit) as RawVars;
  if (task.dynamic === 'include_role') {
    const nodes = loadIncludedRole(pc, task, args);
    return { nodes, scope: enterInclude(scope, task, {}, loopVars, applyKeywords(args)), file: String(args.name) };
  }
  // split_args keeps a folded scalar's trailing newline; a file name never ends with one
  const file = resolveIncludeFile(pc, task, String(args.file ?? args._raw_params ?? '').replace(/\n+$/, ''));
  // like ansible's legacy include: other arguments are variables of the included block (below set_fact)
  const { file: _f, _raw_params: _r, apply: _a, ...params } = task.args;
  const apply = applyKeywords(args);
  const applyKw = Object.keys(params).length === 0 ? apply : ({ ...apply, vars: { ...params, ...(apply?.vars ?? {}) } } as Keywords);
  return { nodes: loadIncludedTasks(pc, task, file), scope: enterInclude(scope, task, {}, loopVars, applyKw), file };
}

function conditionHolds(pc: PlayContext, c: unknown, vars: LazyVars, task: TaskNode): boolean {
  try {
    return pc.run.templar.evaluateConditional(c, vars, { where: task.loc });
  } catch (e) {
    if (isUndefinedError(e)) throw conditionalError(c, e, task.loc);
    throw e;
  }
}

/** expand, except that include_role's "role not found" is collected (ansible: an AnsibleError per item). */
function expandOrRoleError(pc: PlayContext, task: TaskNode, scope: ExecScope, vars: LazyVars, loopVars: RawVars, errors: TsplayError[]): ReturnType<typeof expand> | undefined {
  try {
    return expand(pc, task, scope, vars, loopVars);
  } catch (e) {
    if (task.dynamic !== 'include_role' || !(e instanceof TsplayError) || e.code !== 'role') throw e;
    errors.push(e);
    return undefined;
  }
}

/** Records "included: FILE for HOSTS" lines; like ansible, include_role has none. */
export type IncludeAnnouncer = (file: string, host: string, item?: string) => void;

/**
 * Like ansible's TaskExecutor: when the loop fails to template (an undefined variable), the
 * task's `when:` is evaluated without an item; the first false condition skips the task.
 */
function falseWhenDespiteLoopError(e: unknown, task: TaskNode, pc: PlayContext, vars: LazyVars): unknown {
  if (!isUndefinedError(e)) return undefined;
  try {
    return (task.kw.when ?? []).find((c) => !pc.run.templar.evaluateConditional(c, vars, { where: task.loc }));
  } catch {
    return undefined;
  }
}

/** The include is skipped on the host; like ansible, `register` records the skip. */
function skipInclude(pc: PlayContext, host: string, task: TaskNode, info: TaskInfo, result: Record<string, unknown>): StepOutcome {
  pc.run.ledger.countSkipped(host);
  if (task.register) pc.run.state.host(host).setFacts[task.register] = result;
  pc.run.emit({ kind: 'host_result', task: info, host, status: 'skipped', result, ignored: false, noLog: false });
  return { kind: 'include', outcome: { status: 'skipped', result, ignored: false }, expansions: [] };
}

/** include_tasks / include_role for one host: when, loop, then the nodes to walk per item. */
export async function runIncludeOnHost(pc: PlayContext, host: string, task: TaskNode, scope: ExecScope, info: TaskInfo, announce: IncludeAnnouncer): Promise<StepOutcome> {
  const vars = hostVars(pc, host, scope, task);
  const templar = pc.run.templar;
  try {
    // like ansible: with a loop, the include's own `when` is evaluated per item (below)
    const conds = [...scope.whens, ...(task.loop === undefined ? task.kw.when ?? [] : [])];
    const failed = conds.find((c) => !conditionHolds(pc, c, vars, task));
    if (failed !== undefined) return skipInclude(pc, host, task, info, skippedResult(failed));
    const expansions: { nodes: readonly Node[]; scope: ExecScope }[] = [];
    const roleErrors: TsplayError[] = [];
    let result: Record<string, unknown> = { changed: false };
    if (task.loop === undefined) {
      const e = expandOrRoleError(pc, task, scope, vars, {}, roleErrors);
      if (e !== undefined && task.dynamic !== 'include_role') announce(e.file, host);
      if (e !== undefined) expansions.push(e);
      result = { changed: false, include: e?.file ?? String(task.args.name ?? '') };
    } else {
      const lc = templatedLoopControl(task.loopControl, (v) => templar.template(v, vars, { where: task.loc }));
      const loopVar = String(lc.loop_var ?? 'item');
      let items: unknown[];
      try {
        items = loopItems(task, loopTemplating(templar, vars, task.loc));
      } catch (e) {
        const no = falseWhenDespiteLoopError(e, task, pc, vars);
        if (no === undefined) throw e;
        return skipInclude(pc, host, task, info, skippedResult(no));
      }
      const results = items.map((item, i) => {
        const lv = loopItemVars(lc, item, i, items);
        const layer: VarLayerEntry = { layer: 'loop', source: 'include loop', vars: lv, final: true };
        const itemVars = vars.with([layer]);
        const no = (task.kw.when ?? []).find((c) => !conditionHolds(pc, c, itemVars, task));
        if (no !== undefined) return { ...skippedResult(no), [loopVar]: item, ansible_loop_var: loopVar };
        const e = expandOrRoleError(pc, task, scope, itemVars, lv, roleErrors);
        if (e === undefined) return { changed: false, [loopVar]: item, ansible_loop_var: loopVar };
        if (task.dynamic !== 'include_role') announce(e.file, host, typeof item === 'string' ? item : pythonRepr(item));
        expansions.push(e);
        return { changed: false, [loopVar]: item, ansible_loop_var: loopVar };
      });
      if (items.length > 0 && expansions.length === 0 && roleErrors.length === 0) {
        return skipInclude(pc, host, task, info, { changed: false, skipped: true, msg: 'All items skipped', results });
      }
      result = { changed: false, msg: 'All items completed', results };
    }
    // like ansible: the include itself is an ok result of the task (json callback); the recap
    // counts ok once per included file (each loop item is one) for include_tasks, never for
    // include_role (seen with ansible-core 2.14)
    if (task.dynamic !== 'include_role') pc.run.ledger.countOk(host, expansions.length);
    if (task.register) pc.run.state.host(host).setFacts[task.register] = result;
    pc.run.emit({ kind: 'host_result', task: info, host, status: 'ok', result, ignored: false, noLog: false });
    // like ansible's linear strategy: the include reported ok, then a role it could not load
    // fails the host (ansible prints the error; its rescue runs, its always too)
    if (roleErrors.length > 0) {
      for (const e of roleErrors) pc.run.emit({ kind: 'warning', message: `ERROR while loading the included role: ${e.message}` });
      return { kind: 'include', outcome: { status: 'failed', result: failedResult(roleErrors[0]!.message), ignored: false }, expansions: [] };
    }
    return { kind: 'include', outcome: { status: 'ok', result, ignored: false }, expansions };
  } catch (e) {
    // like ansible (_load_included_file re-raises AnsibleParserError): a parse error in an
    // included file ends the whole run with exit code 4
    if (!(e instanceof TsplayError) || e instanceof ParseError) throw e;
    // like ansible: a file that cannot be loaded fails the host with a `reason`, not a `msg`
    const msg = e instanceof ConditionalError ? `${e.message}${ansibleLocation(task.loc)}` : e.message;
    const result = e.code === 'include' ? { failed: true, reason: e.message } : failedResult(msg);
    // like ansible: the include task's own failure (its when or loop) honours ignore_errors and
    // register; a file that cannot be loaded fails the host even with ignore_errors (strategy)
    const ownFailure = e.code !== 'include';
    const ignored = ownFailure && keywordBool(pc, 'ignore_errors', taskKeywords(scope, task).ignore_errors, vars, false);
    if (ownFailure && task.register) pc.run.state.host(host).setFacts[task.register] = result;
    if (ignored) pc.run.ledger.count(host, 'failed', { ignored: true, changed: false });
    pc.run.emit({ kind: 'host_result', task: info, host, status: 'failed', result, ignored, noLog: false });
    return { kind: 'include', outcome: { status: 'failed', result, ignored }, expansions: [] };
  }
}
