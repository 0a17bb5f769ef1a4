import { INHERITED_SCALARS } from '../model/keywords.js';
import type { BlockNode, Keywords, RawVars, RoleRef, TaskNode } from '../model/types.js';

/**
 * What a task inherits from its enclosing play, blocks, imports and roles. Built by recursion
 * while walking the tree; never mutated (each level makes a new one).
 */
export interface ExecScope {
  /** Conditions of enclosing blocks/roles/imports, outermost first: all must hold. */
  readonly whens: readonly unknown[];
  readonly tags: readonly unknown[];
  readonly blockVars: readonly { readonly source: string; readonly vars: RawVars }[];
  /** Inherited keywords (become, ignore_errors, delegate_to ...): the nearest setting wins. */
  readonly kw: Readonly<Record<string, unknown>>;
  readonly environment: readonly unknown[];
  /** The role dependency chain of the running code, outermost first. */
  readonly roles: readonly RoleRef[];
  readonly includeParams: RawVars;
  /** Extra variables of an include_* loop item (item, index var). */
  readonly loopVars: RawVars;
  readonly notifyParent?: readonly string[];
  /** Inside the `block:` part of a block with a rescue: a failure here is not a failed host yet. */
  readonly rescuable?: boolean;
}

export function rootScope(playKw: Keywords): ExecScope {
  return inherit(
    { whens: [], tags: [], blockVars: [], kw: {}, environment: [], roles: [], includeParams: {}, loopVars: {} },
    playKw,
    undefined,
    false,
  );
}

function inherit(scope: ExecScope, kw: Keywords, source: string | undefined, withVars: boolean): ExecScope {
  const own: Record<string, unknown> = { ...scope.kw };
  for (const k of INHERITED_SCALARS) if (kw[k] !== undefined) own[k] = kw[k];
  return {
    ...scope,
    whens: kw.when ? [...scope.whens, ...kw.when] : scope.whens,
    tags: kw.tags ? [...scope.tags, ...kw.tags] : scope.tags,
    blockVars: withVars && kw.vars ? [...scope.blockVars, { source: source ?? 'block vars', vars: kw.vars }] : scope.blockVars,
    environment: kw.environment ? [...scope.environment, ...kw.environment] : scope.environment,
    kw: own,
  };
}

/** Entering a block (or an import / a role's implicit block). */
export function enterBlock(scope: ExecScope, block: BlockNode): ExecScope {
  const roles = block.roleBoundary ? [...scope.roles, block.roleBoundary] : scope.roles;
  // A role's entry `vars:` are role vars (a separate layer), not block vars.
  const withVars = block.roleBoundary === undefined;
  return { ...inherit(scope, block.kw, block.name ? `block '${block.name}' vars` : 'block vars', withVars), roles };
}

/** Keywords of the task itself layered over the scope (task wins). */
export function taskKeywords(scope: ExecScope, task: TaskNode): Readonly<Record<string, unknown>> {
  const own: Record<string, unknown> = { ...scope.kw };
  for (const k of INHERITED_SCALARS) if (task.kw[k] !== undefined) own[k] = task.kw[k];
  return own;
}

/**
 * Entering an included task file. Like ansible (Task/Block._get_parent_attribute skip a dynamic
 * parent): the include's own keywords (ignore_errors, no_log, run_once, timeout ...) stay on the
 * include; its enclosing blocks' keywords and its `apply:` reach the included tasks.
 */
export function enterInclude(scope: ExecScope, include: TaskNode, params: RawVars, loopVars: RawVars, applyKw?: Keywords): ExecScope {
  const withApply = applyKw ? inherit(scope, applyKw, 'include apply vars', true) : scope;
  const notify = (applyKw as { notify?: unknown } | undefined)?.notify;
  return { ...withApply, ...(notify === undefined ? {} : { notifyParent: (Array.isArray(notify) ? notify : [notify]).map(String) }), includeParams: { ...scope.includeParams, ...params, ...(include.kw.vars ?? {}) }, loopVars: { ...scope.loopVars, ...loopVars } };
}
