import { ModuleArgsError, ModuleFailure, TemplateError, TsplayError, UnreachableError, UndefinedVariableError } from '../errors/index.js';
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
import { loopItems, loopItemVars, loopTemplating, templatedLoopControl } from './loops.js';
import { buildModuleContext, checkModeOf, checkModeSkip, findControllerFile, libraryDirs, searchDirs, type TaskTarget } from './module-context.js';
import { taskDeadline } from './deadline.js';
import { keywordBool, keywordInt, taskTimeout } from './keyword-values.js';
import { censored, failedResult, loopResult, removeOmit, skippedResult, statusOf, type Result } from './results.js';
import { taskKeywords, type ExecScope } from './scope.js';
import { resolveTaskAction } from './task-action.js';
import { ansibleLocation, ConditionalError, isUndefinedError, undefinedText } from './task-errors.js';
import { toBool } from '../python/boolean.js';
import { hostVars, hostvarsView } from './vars-builder.js';

export interface HostTaskOutcome {
  readonly status: TaskStatus;
  readonly result: Result;
  readonly ignored: boolean;
  readonly delegatedTo?: string;
  /** A run_once outcome handed to the other hosts of the batch (their failure is not counted again). */
  readonly sharedRunOnce?: boolean;
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
  // like ansible: a module's own failure message is the task's msg as is (tests compare it)
  if (e instanceof ModuleArgsError) return failedResult(e.message);
  // like ansible: a filter's or lookup's error (AnsibleFilterError, no `obj`) is the msg as is
  if (e instanceof TemplateError) return failedResult(e.message);
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
  const resolved = resolveTaskAction(task, pc.run.templar, vars);
  // not native: an ansible module found where ansible would look, run with the host's Python
  const written = resolved.action === task.action ? (task.actionWritten ?? task.action) : resolved.action;
  const mod = lookupModule(resolved.action) ?? pc.run.pyModules?.moduleDef(written, libraryDirs(pc, run.scope));
  if (mod === undefined) return failedResult(`couldn't resolve module/action '${resolved.action}'`);
  const args = pc.run.moduleArgs.check(mod, removeOmit(resolved.args, pc.run.omit) as Record<string, unknown>, task.loc);
  if (keywordBool(pc, 'no_log', kw.no_log, vars, false)) rememberSecrets(pc, args);
  const deadline = taskDeadline(taskTimeout(pc, kw, vars, task), pc.run.signal);
  const ctx = buildModuleContext(pc, run.host, task, run.scope, kw, vars, args, tgt, deadline.signal);
  if (ctx.async !== undefined && mod.supportsAsync !== true) return failedResult(`async is not supported by tsplay for the ${mod.name} module (only command and shell)`);
  if (!mod.supportsCheck && checkModeOf(pc, kw, vars)) return checkModeSkip(mod);
  try {
    const raw: ModuleResult = await deadline.race(mod.run(ctx), resolved.action);
    const r: ModuleResult = { ...raw, ...(resolved.action !== task.action ? { _ansible_resolved_action: resolved.action } : {}) };
    // like ansible's TaskExecutor._execute: every module result carries failed (a non-zero rc
    // counts when the module did not say) and changed
    const failed = r.failed ?? (r.rc !== undefined && r.rc !== 0 && r.rc !== '0');
    return { ...r, changed: r.changed === true, failed };
  } finally {
    deadline.dispose();
  }
}

/** like ansible's TaskExecutor: a delegated task sees `ansible_delegated_vars` (the delegate's hostvars by name). */
function withDelegatedVars(pc: PlayContext, vars: LazyVars, tgt: TaskTarget): LazyVars {
  const d = tgt.delegatedTo;
  if (d === undefined) return vars;
  const hv = hostvarsView(pc)[d] ?? { inventory_hostname: d, ansible_host: d };
  return vars.with([{ layer: 'loop', source: 'delegation', vars: { ansible_delegated_vars: { [d]: hv } }, final: true }]);
}

/** until/retries, changed_when, failed_when around one module execution (ansible's TaskExecutor._execute). */
async function runWithRetries(run: TaskRun, kw: Readonly<Record<string, unknown>>, taskVars: LazyVars, tgt: TaskTarget): Promise<Result> {
  const { task, pc } = run;
  const vars = withDelegatedVars(pc, taskVars, tgt);
  const retriesRaw = task.until ? keywordInt(pc, 'retries', task.retries, vars, 3) : 0;
  const attemptsMax = Math.max(retriesRaw, 0) + 1;
  const delaySec = keywordInt(pc, 'delay', task.delay, vars, 5);
  let result: Result = {};
  for (let attempt = 1; attempt <= attemptsMax; attempt++) {
    result = await runModuleOnce(run, kw, vars, tgt);
    if (result.unreachable) return result;
    // like ansible: attempts is visible to changed_when/failed_when/until
    if (task.until) result.attempts = attempt;
    const withReg = task.register ? vars.with([{ layer: 'loop', source: 'register', vars: { [task.register]: result }, final: true }]) : vars;
    // like ansible: a broken changed_when/failed_when fails the task and keeps the module's result
    let condName = 'changed';
    try {
      if (task.changedWhen) result.changed = evalConds(run, task.changedWhen, withReg).ok;
      condName = 'failed';
      if (task.failedWhen) {
        const fw = evalConds(run, task.failedWhen, withReg).ok;
        result.failed_when_result = fw;
        result.failed = fw;
      }
    } catch (e) {
      if (!(e instanceof TsplayError)) throw e;
      result.failed = true;
      result[`${condName}_when_result`] = e.message;
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

function loopLayer(lc: Readonly<Record<string, unknown>>, item: unknown, index: number, items: unknown[]): VarLayerEntry[] {
  return [{ layer: 'loop', source: 'loop item', vars: loopItemVars(lc, item, index, items), final: true }];
}

function itemLabel(run: TaskRun, item: unknown, vars: LazyVars): string {
  const lc = (run.task.loopControl ?? {}) as Record<string, unknown>;
  const label = lc.label === undefined ? item : run.pc.run.templar.template(lc.label, vars);
  // like ansible's (item=...): Python str() of the label, so lists and dicts print as their repr
  return typeof label === 'string' ? label : pythonRepr(label);
}

/** A loop's result and, per item, the host it was delegated to (delegate_to: "{{ item }}"). */
interface LoopOutcome {
  readonly result: Result;
  readonly delegates: readonly (string | undefined)[];
}

async function runLoop(run: TaskRun, kw: Readonly<Record<string, unknown>>, vars: LazyVars, noLog: boolean): Promise<LoopOutcome> {
  const { pc, task } = run;
  let items: unknown[];
  try {
    items = loopItems(task, loopTemplating(pc.run.templar, vars, task.loc));
  } catch (e) {
    // like ansible: an undefined variable in the loop source fails with the bare message, but
    // only once `when:` (evaluated without an item) holds
    if (!isUndefinedError(e)) throw e;
    return { result: loopErrorResult(run, vars, e), delegates: [] };
  }
  const lc = templatedLoopControl(task.loopControl, (v) => pc.run.templar.template(v, vars, { where: task.loc }));
  const pauseSec = lc.pause === undefined ? 0 : Number(lc.pause);
  const loopName = String(lc.loop_var ?? 'item');
  if (vars.has(loopName)) {
    pc.run.emit({ kind: 'warning', message: `TASK: ${run.info.name}: The loop variable '${loopName}' is already in use. You should set the \`loop_var\` value in the \`loop_control\` option for the task to something else to avoid variable collisions and unexpected behavior.` });
  }
  const results: Result[] = [];
  const delegates: (string | undefined)[] = [];
  let base = vars;
  for (let i = 0; i < items.length; i++) {
    const ivars = base.with(loopLayer(lc, items[i], i, items));
    const loopVar = String(lc.loop_var ?? 'item');
    let r: Result;
    let itgt: TaskTarget | undefined;
    try {
      const cond = evalConds(run, [...run.scope.whens, ...(task.kw.when ?? [])], ivars);
      // like ansible: delegate_to is templated per item
      if (cond.ok) itgt = target(run, kw, ivars);
      r = itgt !== undefined ? await runWithRetries(run, kw, ivars, itgt) : skippedResult(cond.failed);
    } catch (e) {
      r = errorResult(e, task);
    }
    r = { ...r, [loopVar]: items[i], ansible_loop_var: loopVar };
    if (lc.index_var !== undefined) r = { ...r, [String(lc.index_var)]: i, ansible_index_var: String(lc.index_var) };
    results.push(r);
    delegates.push(itgt?.delegatedTo);
    // like ansible's _run_loop: facts an item sets are seen by the next items (acc + [item])
    const facts = r.ansible_facts;
    if (task.action === 'set_fact' && facts && typeof facts === 'object' && !Array.isArray(facts) && !r.failed) base = base.with([{ layer: 'set_fact', source: 'earlier loop item', vars: facts as Record<string, unknown>, final: true }]);
    pc.run.emit({ kind: 'item_result', task: run.info, host: run.host, status: statusOf(r), label: itemLabel(run, items[i], ivars), result: noLog ? censored(r) : shownResult(r), noLog, ...(itgt?.delegatedTo === undefined ? {} : { delegatedTo: itgt.delegatedTo }) });
    if (r.unreachable) break;
    if (pauseSec > 0 && i < items.length - 1) await new Promise((res) => setTimeout(res, pauseSec * 1000));
  }
  return { result: loopResult(results), delegates };
}

/**
 * Like ansible's TaskExecutor: when the loop fails to template, the task's `when:` is still
 * evaluated without an item; false skips the task, true or an error in it raises the loop error.
 */
function loopErrorResult(run: TaskRun, vars: LazyVars, loopError: Parameters<typeof undefinedText>[0]): Result {
  let cond: { ok: boolean; failed?: unknown };
  try {
    cond = evalConds(run, [...run.scope.whens, ...(run.task.kw.when ?? [])], vars);
  } catch {
    return failedResult(undefinedText(loopError));
  }
  return cond.ok ? failedResult(undefinedText(loopError)) : skippedResult(cond.failed);
}

/** Runs one task on one host: when, loop, module, retries, register, effects, outcome. */
export async function runTaskOnHost(run: TaskRun): Promise<HostTaskOutcome> {
  const { pc, host, task } = run;
  const kw = taskKeywords(run.scope, task);
  const vars = hostVars(pc, host, run.scope, task);
  let result: Result;
  let tgt: TaskTarget = { connectHost: host };
  // like ansible: a no_log that cannot be evaluated still censors the failure it causes
  let noLog = kw.no_log !== undefined && kw.no_log !== null;
  let ignoreErrors = false;
  let ignoreUnreachable = false;
  let delegates: readonly (string | undefined)[] = [];
  try {
    // like ansible: an ignore_errors that cannot be evaluated fails the task, and is then ignored
    ignoreErrors = kw.ignore_errors !== undefined && kw.ignore_errors !== null;
    ignoreErrors = keywordBool(pc, 'ignore_errors', kw.ignore_errors, vars, false);
    ignoreUnreachable = keywordBool(pc, 'ignore_unreachable', kw.ignore_unreachable, vars, false);
    noLog = keywordBool(pc, 'no_log', kw.no_log, vars, false);
    if (task.loop !== undefined) {
      const out = await runLoop(run, kw, vars, noLog);
      result = out.result;
      delegates = out.delegates;
      const first = delegates.find((d) => d !== undefined);
      if (first !== undefined) tgt = { connectHost: first, delegatedTo: first };
    } else {
      tgt = target(run, kw, vars);
      const cond = evalConds(run, [...run.scope.whens, ...(task.kw.when ?? [])], vars);
      result = cond.ok ? await runWithRetries(run, kw, vars, tgt) : skippedResult(cond.failed);
    }
  } catch (e) {
    result = errorResult(e, task);
  }
  if (task.register) pc.run.state.host(host).setFacts[task.register] = stripEffects(result);
  const delegateFacts = toBool(kw.delegate_facts);
  if (task.loop !== undefined && delegateFacts && Array.isArray(result.results)) {
    // like ansible: each item's facts go to the host that item was delegated to
    (result.results as Result[]).forEach((r, i) => applyEffects(pc, delegates[i] ?? host, r, false));
  } else applyEffects(pc, tgt.delegatedTo !== undefined && delegateFacts ? tgt.delegatedTo : host, result, task.loop !== undefined);
  const status = statusOf(result);
  const ignored = status === 'failed' ? ignoreErrors : status === 'unreachable' && ignoreUnreachable;
  const shown = noLog ? censored(result) : shownResult(stripEffects(result));
  return { status, result: shown, ignored, delegatedTo: tgt.delegatedTo };
}

/** no_log: every string the task was given is masked in -vvv logs from now on. */
function rememberSecrets(pc: TaskRun['pc'], v: unknown): void {
  if (typeof v === 'string') pc.run.redactor.add(v);
  else if (Array.isArray(v)) v.forEach((x) => rememberSecrets(pc, x));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => rememberSecrets(pc, x));
}

/** Like ansible's TaskResult.clean_copy for callbacks: false failed/skipped flags are not shown. */
function shownResult(r: Result): Result {
  // a failed flag that failed_when overruled is not shown either (the status is what counts)
  const overruled = r.failed === true && statusOf(r) !== 'failed';
  if (r.failed !== false && r.skipped !== false && !overruled) return r;
  const { failed: flag, skipped, ...rest } = r;
  const failed = overruled ? false : flag;
  return { ...rest, ...(failed !== false && failed !== undefined ? { failed } : {}), ...(skipped !== false && skipped !== undefined ? { skipped } : {}) };
}

function stripEffects(r: Result): Result {
  if (!('effects' in r)) return r;
  const { effects: _e, ...rest } = r;
  return rest;
}
