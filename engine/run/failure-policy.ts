import type { PlayContext } from './context.js';
import type { HostTaskOutcome } from './task-runner.js';
import { toBool } from '../python/boolean.js';

/**
 * any_errors_fatal and max_fail_percentage, after a task ran on a group of hosts: they end the
 * play and the rest of the playbook. Like ansible, a failure that a rescue or always section of
 * an enclosing block still handles does not count here (the caller passes only real failures).
 */
export function applyFailurePolicy(pc: PlayContext, kw: Readonly<Record<string, unknown>>, outcomes: ReadonlyMap<string, HostTaskOutcome>): void {
  const ledger = pc.run.ledger;
  const failedNow = [...outcomes.entries()].filter(([, o]) => (o.status === 'failed' || o.status === 'unreachable') && !o.ignored).map(([h]) => h);
  if (failedNow.length === 0) return;
  const anyFatal = kw.any_errors_fatal !== undefined ? toBool(kw.any_errors_fatal) : pc.run.options.anyErrorsFatal;
  let abort = anyFatal;
  const pct = pc.play.maxFailPercentage;
  if (!abort && pct !== undefined && pct !== null) {
    const failed = pc.batch.filter((h) => failedNow.includes(h) || !ledger.inGame(h));
    abort = (failed.length / pc.batch.length) * 100 > Number(pct);
  }
  if (!abort) return;
  // like ansible: every other host still in the batch stops as failed (no failure counted)
  for (const h of ledger.active(pc.batch)) if (!failedNow.includes(h)) ledger.failWithoutCount(h);
  ledger.abortPlaybook();
}
