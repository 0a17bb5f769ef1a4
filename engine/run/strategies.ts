import { TsplayError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';
import { Free } from './free.js';
import { HostPinned } from './host-pinned.js';
import { Linear } from './linear.js';
import type { StrategyFactory, StrategyName } from './strategy.js';

/** The strategy plugins tsplay has, by the name a play's `strategy:` gives. */
const STRATEGIES: Readonly<Record<StrategyName, StrategyFactory>> = {
  linear: (hosts, execute) => new Linear(hosts, execute),
  free: (hosts, execute, opts) => new Free(hosts, execute, opts),
  host_pinned: (hosts, execute, opts) => new HostPinned(hosts, execute, opts),
};

function isStrategyName(name: string): name is StrategyName {
  return Object.hasOwn(STRATEGIES, name);
}

/**
 * The play's strategy by name; like ansible's strategy_loader, `ansible.builtin.` and
 * `ansible.legacy.` names are the same plugins, and an unknown name stops the run (ansible:
 * "Invalid play strategy specified", exit 1) before the play touches a host.
 */
export function checkStrategy(value: unknown, where: SourceLoc, fromSetting: boolean): StrategyName {
  const name = String(value ?? 'linear').trim().replace(/^ansible\.(builtin|legacy)\./, '');
  if (isStrategyName(name)) return name;
  const valid = Object.keys(STRATEGIES).join(', ');
  throw new TsplayError('strategy', `Invalid play strategy specified: ${String(value)}`, {
    where,
    hint: `valid strategies: ${valid}${fromSetting ? ' (this one comes from ANSIBLE_STRATEGY or strategy in ansible.cfg [defaults])' : ''}`,
  });
}

export function strategyFor(name: StrategyName): StrategyFactory {
  return STRATEGIES[name];
}

/** ansible's callbacks treat these as not lockstep: banners and json entries per host result. */
export function isLockstep(name: StrategyName): boolean {
  return name === 'linear';
}
