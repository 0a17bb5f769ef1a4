import type { TaskNode } from '../model/types.js';
import { LazyVars } from '../vars/var-source.js';
import type { PlayContext } from './context.js';
import type { ExecScope } from './scope.js';

/**
 * ansible's Taggable.evaluate_tags: --tags selects (always/never/tagged/untagged are special),
 * then --skip-tags removes. Tags accumulate from the play, blocks, roles and imports.
 */
export function tagsSelected(taskTags: ReadonlySet<string>, only: readonly string[], skip: readonly string[]): boolean {
  const onlyTags = only.length > 0 ? only : ['all'];
  const has = (list: readonly string[]) => list.some((t) => taskTags.has(t));
  let run = false;
  if (taskTags.has('always')) run = true;
  else if (onlyTags.includes('all') && !taskTags.has('never')) run = true;
  else if (has(onlyTags)) run = true;
  else if (onlyTags.includes('tagged') && taskTags.size > 0 && !taskTags.has('never')) run = true;
  else if (onlyTags.includes('untagged') && taskTags.size === 0) run = true;
  if (!run || skip.length === 0) return run;
  if (skip.includes('all')) return taskTags.has('always') && !skip.includes('always');
  if (has(skip)) return false;
  if (skip.includes('tagged') && taskTags.size > 0) return false;
  if (skip.includes('untagged') && taskTags.size === 0) return false;
  return true;
}

export function taskTags(pc: PlayContext, task: TaskNode, scope: ExecScope): Set<string> {
  const raw = [...scope.tags, ...(task.kw.tags ?? [])];
  const out = new Set<string>();
  for (const t of raw) {
    // Tags are templated with play-level vars only; task vars are not available (ansible errors).
    const v = typeof t === 'string' && t.includes('{{') ? pc.run.templar.template(t, playLevelVars(pc)) : t;
    for (const x of Array.isArray(v) ? v : [v]) out.add(String(x));
  }
  return out;
}

function playLevelVars(pc: PlayContext): LazyVars {
  return new LazyVars(
    [
      { layer: 'play_vars', source: 'play vars', vars: pc.play.kw.vars ?? {} },
      { layer: 'extra_vars', source: 'extra vars (-e)', vars: pc.run.options.extraVars },
    ],
    pc.run.templar,
  );
}

export function isTaskSelected(pc: PlayContext, task: TaskNode, scope: ExecScope): boolean {
  const opts = pc.run.options;
  if (opts.tags.length === 0 && opts.skipTags.length === 0) {
    // Fast path, but `never` still hides a task when no --tags are given.
    if (!scope.tags.includes('never') && !(task.kw.tags ?? []).includes('never')) return true;
  }
  return tagsSelected(taskTags(pc, task, scope), opts.tags, opts.skipTags);
}
