import type { Node, TaskNode } from '../model/types.js';
import type { HostTaskOutcome } from './task-runner.js';
import type { ExecScope } from './scope.js';

/** What a host walker asks the lockstep to run next (closed union). */
export type Step =
  | { readonly kind: 'task'; readonly task: TaskNode; readonly scope: ExecScope }
  | { readonly kind: 'include'; readonly task: TaskNode; readonly scope: ExecScope }
  | { readonly kind: 'meta'; readonly task: TaskNode; readonly scope: ExecScope }
  | { readonly kind: 'flush' };

/** What comes back to the walker (closed union). */
export type StepOutcome =
  | { readonly kind: 'task'; readonly outcome: HostTaskOutcome }
  | { readonly kind: 'include'; readonly outcome: HostTaskOutcome; readonly expansions: readonly { readonly nodes: readonly Node[]; readonly scope: ExecScope }[] }
  | { readonly kind: 'end_host' }
  | { readonly kind: 'end_play' }
  | { readonly kind: 'done' }
  | { readonly kind: 'handler_failed'; readonly unreachable: boolean };

/** Control flow inside a host walker: a failed task unwinds to the nearest rescue. */
export class HostFailed extends Error {
  /** counted: false for hosts failed by another host's run_once failure (ansible counts it once). */
  /**
   * fromInclude: an include that could not load its file or role; like ansible's linear strategy
   * (failed_includes_hosts), a rescue still runs but the recap counts a failure, not a rescue.
   */
  constructor(readonly task: TaskNode | undefined, readonly result: Readonly<Record<string, unknown>>, readonly counted = true, readonly fromInclude = false) {
    super('host failed');
  }
}

export class HostUnreachable extends Error {
  constructor() {
    super('host unreachable');
  }
}

/** meta: end_host / end_play / end_batch: the walker stops without failing. */
export class HostEnded extends Error {
  constructor(readonly scopeOfEnd: 'host' | 'play' | 'batch') {
    super('host ended');
  }
}
