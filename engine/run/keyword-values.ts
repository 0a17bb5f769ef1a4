import { TsplayError } from '../errors/index.js';
import type { TaskNode } from '../model/types.js';
import { convertKeyword, invalidValueMessage, KEYWORD_KINDS } from '../model/keyword-values.js';
import type { LazyVars } from '../vars/var-source.js';
import type { PlayContext } from './context.js';

/** A templated keyword whose value cannot be converted: the task fails with ansible's words. */
export class KeywordValueError extends TsplayError {
  constructor(message: string) {
    super('keyword-value', message);
    this.name = 'KeywordValueError';
  }
}

/**
 * A typed keyword's value at run time: templated with the task's vars, then converted
 * strictly (literals were already checked at parse time). Undefined when the keyword is unset.
 */
export function keywordValue(pc: PlayContext, name: string, raw: unknown, vars: LazyVars, where?: TaskNode['loc']): boolean | number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const kind = KEYWORD_KINDS[name];
  const value = pc.run.templar.template(raw, vars, where === undefined ? undefined : { where });
  if (kind === undefined) throw new Error(`${name} is not a typed keyword`);
  const c = convertKeyword(kind, value);
  if (!c.ok) throw new KeywordValueError(invalidValueMessage(name, raw, kind, c.why));
  return c.value;
}

export function keywordBool(pc: PlayContext, name: string, raw: unknown, vars: LazyVars, dflt: boolean): boolean {
  const v = keywordValue(pc, name, raw, vars);
  return v === undefined ? dflt : v === true;
}

export function keywordInt(pc: PlayContext, name: string, raw: unknown, vars: LazyVars, dflt: number): number {
  const v = keywordValue(pc, name, raw, vars);
  return v === undefined ? dflt : (v as number);
}

/** The task's `timeout:` in seconds (0 or unset: none). */
export function taskTimeout(pc: PlayContext, kw: Readonly<Record<string, unknown>>, vars: LazyVars, task: TaskNode): number | undefined {
  const t = keywordValue(pc, 'timeout', kw.timeout, vars, task.loc);
  return typeof t === 'number' && t > 0 ? t : undefined;
}
