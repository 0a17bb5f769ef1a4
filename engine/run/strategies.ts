import { Linear } from './linear.js';
import type { StrategyFactory } from './strategy.js';

/** The strategy plugins tsplay has, by the name a play's `strategy:` gives. */
const STRATEGIES: Readonly<Record<string, StrategyFactory>> = {
  linear: (hosts, execute) => new Linear(hosts, execute),
};

/** The play's strategy; names without their own file yet (free, host_pinned) run linear, as before. */
export function strategyFor(name: string): StrategyFactory {
  return STRATEGIES[name] ?? STRATEGIES.linear!;
}
