/**
 * ansible's boolean() (module_utils/parsing/convert_bool.py), the one copy: keywords
 * (become: yes), module arguments (type='bool'), ansible.cfg values, sysctl values.
 */

/** like ansible's BOOLEANS_TRUE / BOOLEANS_FALSE: strings compared lower-cased and stripped. */
export const BOOLEANS_TRUE: readonly string[] = ['y', 'yes', 'on', '1', 'true', 't'];
export const BOOLEANS_FALSE: readonly string[] = ['n', 'no', 'off', '0', 'false', 'f'];

/** true / false for a valid boolean spelling, undefined for anything else. */
export function parseBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (BOOLEANS_TRUE.includes(s)) return true;
  if (BOOLEANS_FALSE.includes(s)) return false;
  return undefined;
}

/** boolean(v, strict=False): a true spelling is true, anything else (None included) false. */
export function toBool(v: unknown): boolean {
  return parseBoolean(v) === true;
}

/** like ansible's strict boolean(): its error text for a value that is no boolean. */
export function notABooleanMessage(v: unknown): string {
  // the order ansible-core 2.14 prints its frozenset in
  return `The value '${String(v)}' is not a valid boolean.  Valid booleans include: 'true', 1, 'false', 0, 'no', 'yes', 'f', '1', 'off', 'on', 'n', '0', 'y', 't'`;
}
