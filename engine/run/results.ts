import type { TaskStatus } from '../types/outcome.js';

export type Result = Record<string, unknown>;

/**
 * like ansible's TaskResult.is_failed: a failed_when verdict wins over `failed` (until/retries
 * running out sets failed, yet failed_when said no).
 */
function isFailed(r: Result): boolean {
  return 'failed_when_result' in r ? Boolean(r.failed_when_result) : r.failed === true;
}

export function statusOf(r: Result): TaskStatus {
  if (r.unreachable === true) return 'unreachable';
  if (isFailed(r)) return 'failed';
  if (r.skipped === true) return 'skipped';
  if (r.changed === true) return 'changed';
  return 'ok';
}

export function failedResult(msg: string, extra: Result = {}): Result {
  return { failed: true, changed: false, msg, ...extra };
}

export function skippedResult(condition: unknown): Result {
  // ansible-core 2.14 reports no false_condition (added in 2.15)
  void condition;
  return { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
}

/** A loop's task result, shaped like ansible's: results + changed/failed summaries. */
export function loopResult(items: Result[]): Result {
  if (items.length === 0) return { changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] };
  // like ansible: a loop result always says whether it was skipped
  const out: Result = { changed: items.some((r) => r.changed === true), skipped: items.every((r) => r.skipped === true), results: items };
  // like ansible's TaskResult.is_unreachable: one unreachable item makes the task unreachable, so
  // the host leaves the play at once and its earlier items count for nothing in the recap
  if (items.some((r) => r.unreachable === true)) out.unreachable = true;
  const failed = items.some(isFailed);
  if (failed) {
    out.failed = true;
    out.msg = 'One or more items failed';
  } else if (out.skipped === true) {
    out.msg = 'All items skipped';
  } else out.msg = 'All items completed';
  return out;
}

/** What ansible shows instead of a no_log result. */
export { censorResult as censored } from '../transport/redact.js';

/** Removes ansible's omit placeholder from module arguments, recursively through mappings. */
export function removeOmit(v: unknown, omit: string): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== omit).map((x) => removeOmit(x, omit));
  if (v && typeof v === 'object') {
    const out: Result = {};
    for (const [k, val] of Object.entries(v as Result)) if (val !== omit) out[k] = removeOmit(val, omit);
    return out;
  }
  return v;
}
