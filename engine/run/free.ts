import pLimit, { type LimitFunction } from 'p-limit';
import type { Step, StepOutcome } from './steps.js';
import type { GroupExecutor, Strategy, StrategyOptions } from './strategy.js';

/**
 * ansible's free strategy: no barrier. Each host walker's step runs as soon as a fork is free,
 * alone (a group of one host), so a host runs ahead through the task list at its own pace; like
 * ansible, only the order of one host's results is fixed. Handlers flush per host when that host
 * reaches the end of a section or a meta flush_handlers.
 */
export class Free implements Strategy {
  readonly #execute: GroupExecutor;
  readonly #forks: LimitFunction;

  constructor(_hostOrder: readonly string[], execute: GroupExecutor, opts: StrategyOptions) {
    this.#execute = execute;
    this.#forks = pLimit(Math.max(1, opts.forks));
  }

  leave(_host: string): void {}

  request(host: string, position: readonly number[], key: string, step: Step): Promise<StepOutcome> {
    return new Promise<StepOutcome>((resolve, reject) => {
      this.#forks(async () => {
        // a host whose steps never wait on a remote (debug, set_fact) would otherwise run to its
        // end before any other host's finished command is even seen: yield to the event loop
        await new Promise((r) => setImmediate(r));
        await this.#execute([{ host, position, key, step, resolve, reject }]);
      }).catch(reject);
    });
  }
}
