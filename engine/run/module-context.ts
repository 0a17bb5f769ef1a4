import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { TsplayError } from '../errors/index.js';
import type { TaskNode } from '../model/types.js';
import type { BecomeSpec } from '../types/connection.js';
import type { Change, DiffGate, FileDiff, HostAccess, ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import type { Connection, ExecResult } from '../types/connection.js';
import type { LazyVars } from '../vars/var-source.js';
import { varsObjectView } from '../vars/var-source.js';
import { becomeSpec, connectionParams } from './connection-params.js';
import { withSignal } from './deadline.js';
import type { PlayContext } from './context.js';
import type { ExecScope } from './scope.js';
import { hostVars } from './vars-builder.js';
import { toBool } from '../python/boolean.js';
import { keywordBool, keywordValue } from './keyword-values.js';
import { asyncSpec } from './async-spec.js';
import { ansibleTemplateVars } from '../template/index.js';

/** Where ansible looks for a controller file: the role chain's folder, then the play's. */
export function searchDirs(pc: PlayContext, scope: ExecScope, kind: string): string[] {
  const dirs: string[] = [];
  for (const r of [...scope.roles].reverse()) dirs.push(join(r.path, kind), r.path);
  dirs.push(join(pc.play.playbookDir, kind), pc.play.playbookDir);
  return dirs;
}

/** Like ansible: modules in the library/ of the running roles (innermost first), of the play's other roles and of the playbook. */
export function libraryDirs(pc: PlayContext, scope: ExecScope): string[] {
  const roles = [...[...scope.roles].reverse(), ...pc.play.roles];
  return [...new Set([...roles.map((r) => join(r.path, 'library')), join(pc.play.playbookDir, 'library')])];
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
  /** delegate_to as templated, also when it names the task host itself (ansible_delegated_vars). */
  readonly delegateName?: string;
}

/** Merges `environment:` entries (outermost first) into one map of strings. */
export function taskEnvironment(entries: readonly unknown[], vars: LazyVars, pc: PlayContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const v = entry && typeof entry === 'object' && !Array.isArray(entry) ? entry : pc.run.templar.template(entry, vars);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
        let val: unknown;
        try {
          val = pc.run.templar.template(raw, vars);
        } catch (e) {
          // like ansible's Task._post_validate_environment: a value needing the ansible_env fact
          // that is not gathered (yet) is left out
          if (e instanceof Error && e.message.includes('ansible_env')) continue;
          throw e;
        }
        env[k] = val === null ? '' : String(val);
      }
    }
  }
  return env;
}

/** The host as probe and change steps see it: every command gets become and the environment. */
export function hostAccess(connection: Connection, become: BecomeSpec | undefined, env: Readonly<Record<string, string>>): HostAccess {
  const envOrNone = Object.keys(env).length > 0 ? env : undefined;
  return {
    connection,
    become,
    env: envOrNone,
    exec: (command, opts = {}) => connection.exec({ command, become, env: envOrNone, stdin: opts.stdin, timeoutMs: opts.timeoutMs }),
  };
}

type HostStep<T> = string | ((host: HostAccess) => Promise<T>);

/** The diff half of the gate: diffs are described by modules, produced only in diff mode. */
export function diffGate(diff: boolean): DiffGate {
  return {
    readsBefore: diff,
    of: <D extends FileDiff | FileDiff[]>(describe: () => D | undefined): { diff?: D } => {
      if (!diff) return {};
      const d = describe();
      return d === undefined ? {} : { diff: d };
    },
  };
}

/**
 * The gate (design.md §4): the one place that knows check mode and diff mode. probe always runs;
 * change runs or, in check mode, is recorded (shown at -vv) and skipped; diffs.of describes a
 * diff only in diff mode.
 */
export function hostGate(check: boolean, open: () => Promise<HostAccess>, log: (level: number, message: string) => void, diff = false): Pick<ModuleContext, 'probe' | 'change' | 'mayChange' | 'diffs'> {
  const run = async <T>(step: HostStep<T>, stdin?: Buffer | string): Promise<T | ExecResult> => {
    const host = await open();
    return typeof step === 'string' ? host.exec(step, { stdin }) : step(host);
  };
  const mayChange = (what: string): boolean => {
    if (check) log(2, `check mode: would ${what}`);
    return !check;
  };
  const change = async <T>(what: string, step: HostStep<T>, stdin?: Buffer | string): Promise<Change<T | ExecResult>> =>
    mayChange(what) ? { applied: true, value: await run(step, stdin) } : { applied: false };
  return { probe: run as ModuleContext['probe'], change: change as ModuleContext['change'], mayChange, diffs: diffGate(diff) };
}

/** like ansible: a module without check-mode support is skipped in check mode, with this result. */
export function checkModeSkip(mod: ModuleDef): ModuleResult {
  return { changed: false, skipped: true, msg: mod.checkSkipMsg ?? `remote module (${mod.name}) does not support check mode` };
}

/** The task's check mode: its check_mode keyword, else --check. */
/** The task's check mode: its `check_mode:` (templated, strictly a boolean) or the run's -C. */
export function checkModeOf(pc: PlayContext, kw: Readonly<Record<string, unknown>>, vars: LazyVars): boolean {
  return keywordBool(pc, 'check_mode', kw.check_mode, vars, pc.run.options.check);
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
  signal?: AbortSignal,
): ModuleContext {
  const run = pc.run;
  const check = checkModeOf(pc, kw, vars);
  const diff = keywordBool(pc, 'diff', kw.diff, vars, run.options.diff);
  const becomeKw = keywordValue(pc, 'become', kw.become, vars);
  const become: BecomeSpec | undefined = becomeSpec(vars, { ...kw, become: becomeKw }, run.options);
  const env = taskEnvironment(scope.environment.concat(task.kw.environment ?? []), vars, pc);
  const open = async (): Promise<HostAccess> => {
    const inInventory = run.state.inventory.hosts.has(target.connectHost);
    const cvars = target.delegatedTo === undefined ? vars : hostVars(pc, target.connectHost);
    const conn = await run.connections.get(connectionParams(target.connectHost, cvars, kw, run.options, inInventory));
    return hostAccess(withSignal(conn, signal), become, env);
  };
  const log = (level: number, message: string): void => {
    if (run.options.verbosity >= level) run.emit({ kind: 'debug_log', level, host, message: run.redactor.text(message) });
  };
  const gate = hostGate(check, open, log, diff);
  return {
    host,
    args,
    loc: task.loc,
    ...gate,
    findFile: (kind, name) => findControllerFile(pc, scope, kind, name, task.loc),
    vault: pc.run.vault,
    ask: pc.run.ask,
    async: asyncSpec(pc, task, vars),
    notes: run.notes?.for(target.connectHost),
    templating: {
      renderFile: (text, opts) => {
        // like ansible's template action: ansible_managed and the template_* vars are defined for templates only
        const fileVars = opts?.file ? ansibleTemplateVars(opts.file.src, opts.file.path, opts.file.dest) : {};
        const templateVars = { ...(vars.has('ansible_managed') ? {} : { ansible_managed: 'Ansible managed' }), ...fileVars };
        return run.templar.renderText(text, vars.with([{ layer: 'loop', source: 'template vars', vars: templateVars, final: true }]), {
          where: task.loc,
          searchPaths: searchDirs(pc, scope, 'templates'),
          trimBlocks: opts?.trimBlocks, lstripBlocks: opts?.lstripBlocks, delimiters: opts?.delimiters, newlineSequence: opts?.newlineSequence,
        });
      },
      evaluate: (expr) => run.templar.evaluateExpression(expr, vars, { where: task.loc }),
      conditional: (expr, extraVars) =>
        run.templar.evaluateConditional(expr, extraVars ? vars.with([{ layer: 'loop', source: 'extra', vars: extraVars, final: true }]) : vars, { where: task.loc }),
    },
    vars: varsObjectView(() => vars),
    log,
  };
}
