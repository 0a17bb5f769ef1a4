import type { Step, StepOutcome } from './steps.js';

/** One host walker's request: run `step` (at `position` in the play tree) and answer it. */
export interface StepRequest {
  readonly host: string;
  /** Position in the play tree; linear compares these to pick what runs next. */
  readonly position: readonly number[];
  /** Hosts with the same key run together as one task. */
  readonly key: string;
  readonly step: Step;
  resolve(result: StepOutcome): void;
  reject(error: unknown): void;
}

/** Runs one step for a group of hosts (the step executor of run/step-executor.ts). */
export type GroupExecutor = (group: StepRequest[]) => Promise<void>;

/**
 * How host walkers are scheduled: ansible's strategy plugins. Walkers are plain recursive
 * async functions that ask the strategy for each step; the strategy decides when a step runs
 * and with which hosts. Each strategy is one file (linear.ts, free.ts, host-pinned.ts) registered
 * in strategies.ts.
 */
export interface Strategy {
  request(host: string, position: readonly number[], key: string, step: Step): Promise<StepOutcome>;
  /** The host's walker is done with the play (finished, failed, ended). */
  leave(host: string): void;
}

export type { StrategyName } from '../types/strategy-name.js';

export interface StrategyOptions {
  /** Steps (free) or hosts (host_pinned) running at once; linear leaves forks to the task group. */
  readonly forks: number;
}

export type StrategyFactory = (hostOrder: readonly string[], execute: GroupExecutor, opts: StrategyOptions) => Strategy;
