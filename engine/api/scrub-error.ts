import { TsplayError } from '../errors/index.js';
import type { Redactor } from '../transport/redact.js';

/**
 * An error on its way to the CLI with every known secret (vault values, no_log values) masked:
 * a template error may quote the value it failed on.
 */
export function scrubError(e: unknown, redactor: Redactor): unknown {
  if (e instanceof TsplayError) {
    const message = redactor.text(e.message);
    const hint = e.hint === undefined ? undefined : redactor.text(e.hint);
    if (message === e.message && hint === e.hint) return e;
    const out = new TsplayError(e.code, message, { where: e.where, hint });
    out.name = e.name;
    return out;
  }
  if (e instanceof Error) {
    e.message = redactor.text(e.message);
    if (e.stack !== undefined) e.stack = redactor.text(e.stack);
  }
  return e;
}
