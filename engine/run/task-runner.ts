import { ModuleFailure, TsplayError, UnreachableError, UndefinedVariableError } from '../errors/index.js';
import { lookupModule } from '../modules/registry.js';
import { pythonRepr } from '../template/index.js';
import type { TaskNode } from '../model/types.js';
import type { TaskInfo } from '../types/events.js';
import type { ModuleResult } from '../types/module.js';
import type { TaskStatus } from '../types/outcome.js';
import { formatLoc } from '../types/source.js';
import type { VarLayerEntry } from '../vars/layers.js';
import type { LazyVars } from '../vars/var-source.js';
import type { PlayContext } from './context.js';
import { applyEffects } from './effects.js';
import { loopItems } from './loops.js';
import { buildModuleContext, checkModeOf, checkModeSkip, findControllerFile, lookupDirs, searchDirs, type TaskTarget } from './module-context.js';
import { censored, failedResult, loopResult, removeOmit, skippedResult, statusOf, type Result } from './results.js';
import { taskKeywords, type ExecScope } from './scope.js';
import { ansibleLocation, ConditionalError, isUndefinedError, undefinedText } from './task-errors.js';
import { toBool } from '../python/boolean.js';
import { hostVars } from './vars-builder.js';

export interface HostTaskOutcome {
  readonly status: TaskStatus;
  readonly result: Result;
  readonly ignored: boolean;
  readonly delegatedTo?: string;
}

export interface TaskRun {
  readonly pc: PlayContext;
  readonly host: string;
  readonly task: TaskNode;
  readonly info: TaskInfo;
  readonly scope: ExecScope;
}

/** Turns a thrown user-level error into ansible's failed (or unreachable) task result. */
function errorResult(e: unknown, task: TaskNode): Result {
  if (e instanceof UnreachableError) return { unreachable: true, changed: false, msg: e.message };
  // like ansible's fail_json: the module's own message and fields, no location
  if (e instanceof ModuleFailure) return failedResult(e.message, { ...e.fields });
  if (e instanceof ConditionalError) return failedResult(`${e.message}${ansibleLocation(task.loc)}`);
  if (isUndefinedError(e)) {
    return failedResult(`The task includes an option with an undefined variable. The error was: ${undefinedText(e)}${ansibleLocation(task.loc)}`);
  }
  if (e instanceof TsplayError) return failedResult(e.where ? `${e.message} (${formatLoc(e.where)})` : e.message);
  throw e;
}

function evalConds(run: TaskRun, conds: readonly unknown[], vars: LazyVars): { ok: boolean; failed?: unknown } {
  for (const c of conds) {
    if (typeof c === 'string' && (c.includes('{{') || c.includes('{%'))) {
      run.pc.run.emit({ kind: 'warning', message: `conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: ${c}` });
    }
    let ok: boolean;
    try {
      ok = run.pc.run.templar.evaluateConditional(c, vars, { where: run.task.loc });
    } catch (e) {
      // like ansible: "The conditional check 'X' failed. The error was: error while evaluating conditional (X): ..."
      if (!isUndefinedError(e)) throw e;
      throw new ConditionalError(`The conditional check '${String(c)}' failed. The error was: error while evaluating conditional (${String(c)}): ${undefinedText(e)}`, run.task.loc);
    }
    if (!ok) return { ok: false, failed: c };
  }
  return { ok: true };
}

function target(run: TaskRun, kw: Readonly<Record<string, unknown>>, vars: LazyVars): TaskTarget {
  if (kw.delegate_to === undefined || kw.delegate_to === null) return { connectHost: run.host };
  const d = String(run.pc.run.templar.template(kw.delegate_to, vars, { where: run.task.loc }));
  return d === run.host ? { connectHost: run.host } : { connectHost: d, delegatedTo: d };
}

async function runModuleOnce(run: TaskRun, kw: Readonly<Record<string, unknown>>, vars: LazyVars, tgt: TaskTarget): Promise<Result> {
  const { pc, task } = run;
  const mod = lookupModule(task.action);
  if (mod === undefined) return failedResult(`couldn't resolve module/action '${task.action}'`);
  const args = removeOmit(pc.run.templar.template(task.args, vars, { where: task.loc, searchPaths: lookupDirs(pc, run.scope, task) }), pc.run.omit) as Record<string, unknown>;
  pc.run.moduleArgs.check(mod, args, task.loc);
  if (kw.no_log !== undefined && toBool(pc.run.templar.template(kw.no_log, vars))) rememberSecrets(pc, args);
  const ctx = buildModuleContext(pc, run.host, task, run.scope, kw, vars, args, tgt);
  if (!mod.supportsCheck && checkModeOf(pc, kw)) return checkModeSkip(mod);
  const r: ModuleResult = await mod.run(ctx);
  return { ...r, changed: r.changed === true };
}

/** until/retries, changed_when, failed_when around one module execution (ansible's TaskExecutor._execute). */
async function runWithRetries(run: TaskRun, kw: Readonly<Record<string, unknown>>, vars: LazyVars, tgt: TaskTarget): Promise<Result> {
  const { task, pc } = run;
  const templar = pc.run.templar;
  const retriesRaw = task.until ? (task.retries === undefined ? 3 : Number(templar.template(task.retries, vars))) : 0;
  const attemptsMax = Math.max(retriesRaw, 0) + 1;
  const delaySec = task.delay === undefined ? 5 : Number(templar.template(task.delay, vars));
  let result: Result = {};
  for (let attempt = 1; attempt <= attemptsMax; attempt++) {
    result = await runModuleOnce(run, kw, vars, tgt);
    if (result.unreachable) return result;
    const withReg = task.register ? vars.with([{ layer: 'loop', source: 'register', vars: { [task.register]: result }, final: true }]) : vars;
    if (task.changedWhen) result.changed = evalConds(run, task.changedWhen, withReg).ok;
    if (task.failedWhen) {
      const fw = evalConds(run, task.failedWhen, withReg).ok;
      result.failed_when_result = fw;
      result.failed = fw;
    }
    if (attemptsMax <= 1) return result;
    result.attempts = attempt;
    if (evalConds(run, task.until ?? [], withReg).ok) return result;
    if (attempt < attemptsMax) {
      pc.run.emit({ kind: 'retry', task: run.info, host: run.host, attempt, retries: attemptsMax - attempt, result });
      if (delaySec > 0) await new Promise((r) => setTimeout(r, delaySec * 1000));
    }
  }
  // like ansible: attempts reports the retries value although retries + 1 runs happened
  return { ...result, attempts: attemptsMax - 1, failed: true };
}

function loopLayer(run: TaskRun, item: unknown, index: number, items: unknown[]): VarLayerEntry[] {
  const lc = (run.task.loopControl ?? {}) as Record<string, unknown>;
  const loopVar = String(lc.loop_var ?? 'item');
  const out: Record<string, unknown> = { [loopVar]: item, ansible_loop_var: loopVar };
  if (lc.index_var !== undefined) {
    out[String(lc.index_var)] = index;
    out.ansible_index_var = String(lc.index_var);
  }
  if (toBool(lc.extended)) {
    out.ansible_loop = {
      // like ansible: loop_control.extended_allitems: false leaves allitems out
      ...(lc.extended_allitems === undefined || toBool(lc.extended_allitems) ? { allitems: items } : {}),
      index: index + 1, index0: index, revindex: items.length - index, revindex0: items.length - index - 1,
      first: index === 0, last: index === items.length - 1, length: items.length,
      // like ansible: previtem / nextitem are absent (undefined), not None, at the ends
      ...(index > 0 ? { previtem: items[index - 1] } : {}),
      ...(index < items.length - 1 ? { nextitem: items[index + 1] } : {}),
    };
  }
  return [{ layer: 'loop', source: 'loop item', vars: out, final: true }];
}

function itemLabel(run: TaskRun, item: unknown, vars: LazyVars): string {
  const lc = (run.task.loopControl ?? {}) as Record<string, unknown>;
  const label = lc.label === undefined ? item : run.pc.run.templar.template(lc.label, vars);
  // like ansible's (item=...): Python str() of the label, so lists and dicts print as their repr
  return typeof label === 'string' ? label : pythonRepr(label);
}

async function runLoop(run: TaskRun, kw: Readonly<Record<string, unknown>>, vars: LazyVars, noLog: boolean): Promise<Result> {
  const { pc, task } = run;
  let items: unknown[];
  try {
    items = loopItems(task, {
      template: (v) => pc.run.templar.template(v, vars, { where: task.loc }),
      findFile: (name) => { try { return findControllerFile(pc, run.scope, 'files', name, task.loc); } catch { return undefined; } },
      filesDirs: () => searchDirs(pc, run.scope, 'files'),
    });
  } catch (e) {
    // like ansible: an undefined variable in the loop source fails with the bare message
    if (isUndefinedError(e)) return failedResult(undefinedText(e));
    throw e;
  }
  const lc = (task.loopControl ?? {}) as Record<string, unknown>;
  const pauseSec = lc.pause === undefined ? 0 : Number(lc.pause);
  const loopName = String(lc.loop_var ?? 'item');
  if (vars.has(loopName)) {
    pc.run.emit({ kind: 'warning', message: `TASK: ${run.info.name}: The loop variable '${loopName}' is already in use. You should set the \`loop_var\` value in the \`loop_control\` option for the task to something else to avoid variable collisions and unexpected behavior.` });
  }
  const results: Result[] = [];
  for (let i = 0; i < items.length; i++) {
    const ivars = vars.with(loopLayer(run, items[i], i, items));
    const loopVar = String(lc.loop_var ?? 'item');
    let r: Result;
    try {
      const cond = evalConds(run, [...run.scope.whens, ...(task.kw.when ?? [])], ivars);
      r = cond.ok ? await runWithRetries(run, kw, ivars, target(run, kw, ivars)) : skippedResult(cond.failed);
    } catch (e) {
      r = errorResult(e, task);
    }
    r = { ...r, [loopVar]: items[i], ansible_loop_var: loopVar };
    if (lc.index_var !== undefined) r = { ...r, [String(lc.index_var)]: i, ansible_index_var: String(lc.index_var) };
    results.push(r);
    pc.run.emit({ kind: 'item_result', task: run.info, host: run.host, status: statusOf(r), label: itemLabel(run, items[i], ivars), result: noLog ? censored(r) : r, noLog });
    if (r.unreachable) break;
    if (pauseSec > 0 && i < items.length - 1) await new Promise((res) => setTimeout(res, pauseSec * 1000));
  }
  return loopResult(results);
}

/** Runs one task on one host: when, loop, module, retries, register, effects, outcome. */
export async function runTaskOnHost(run: TaskRun): Promise<HostTaskOutcome> {
  const { pc, host, task } = run;
  const kw = taskKeywords(run.scope, task);
  const vars = hostVars(pc, host, run.scope, task);
  let result: Result;
  let tgt: TaskTarget = { connectHost: host };
  let noLog = false;
  try {
    noLog = kw.no_log === undefined ? false : toBool(pc.run.templar.template(kw.no_log, vars));
    tgt = target(run, kw, vars);
    if (task.loop !== undefined) result = await runLoop(run, kw, vars, noLog);
    else {
      const cond = evalConds(run, [...run.scope.whens, ...(task.kw.when ?? [])], vars);
      result = cond.ok ? await runWithRetries(run, kw, vars, tgt) : skippedResult(cond.failed);
    }
  } catch (e) {
    result = errorResult(e, task);
  }
  if (task.register) pc.run.state.host(host).setFacts[task.register] = stripEffects(result);
  const effectsHost = tgt.delegatedTo !== undefined && toBool(kw.delegate_facts) ? tgt.delegatedTo : host;
  applyEffects(pc, effectsHost, result, task.loop !== undefined);
  const status = statusOf(result);
  const ignored = status === 'failed'
    ? kw.ignore_errors !== undefined && toBool(pc.run.templar.template(kw.ignore_errors, vars))
    : status === 'unreachable' && kw.ignore_unreachable !== undefined && toBool(pc.run.templar.template(kw.ignore_unreachable, vars));
  const shown = noLog ? censored(result) : stripEffects(result);
  return { status, result: shown, ignored, delegatedTo: tgt.delegatedTo };
}

/** no_log: every string the task was given is masked in -vvv logs from now on. */
function rememberSecrets(pc: TaskRun['pc'], v: unknown): void {
  if (typeof v === 'string') pc.run.redactor.add(v);
  else if (Array.isArray(v)) v.forEach((x) => rememberSecrets(pc, x));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => rememberSecrets(pc, x));
}

function stripEffects(r: Result): Result {
  if (!('effects' in r)) return r;
  const { effects: _e, ...rest } = r;
  return rest;
}
