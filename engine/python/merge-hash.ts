function isPlainMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** ansible's merge_hash (recursive, lists replaced): b's keys win, nested mappings merge. */
export function mergeHash(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isPlainMapping(out[k]) && isPlainMapping(v) ? mergeHash(out[k] as Record<string, unknown>, v) : v;
  return out;
}
