/**
 * ansible's boolean() for keyword values (become: yes, ignore_errors: "true"): the strings
 * y/yes/on/1/true/t are true, case-insensitively; anything else is false.
 */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  if (typeof v === 'string') return ['y', 'yes', 'on', '1', 'true', 't'].includes(v.trim().toLowerCase());
  return false;
}
