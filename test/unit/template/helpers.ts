import type { VarSource } from '../../../engine/template/index.js';

/** A VarSource over a plain object (what engine/vars hands the Templar). */
export function varsOf(obj: Record<string, unknown> = {}): VarSource {
  return {
    has: (n) => Object.prototype.hasOwnProperty.call(obj, n),
    get: (n) => obj[n],
    names: () => Object.keys(obj),
  };
}
