/** Shapes keyword values the way ansible's FieldAttribute types do (list, csv tags, bool). */

export function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Tags may be a list or a comma-separated string, like ansible's `tags: a, b`. */
export function asTags(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((t) => (typeof t === 'string' ? t.trim() : t));
  if (typeof v === 'string') {
    if (v.includes('{{')) return [v];
    return v.split(',').map((t) => t.trim()).filter((t) => t !== '');
  }
  return [v];
}

export function asStringList(v: unknown): string[] {
  return asList(v).map((x) => String(x));
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The nearest candidates (ties included) as "'a' or 'b'", for "did you mean" hints. */
export function closest(word: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  let best: string[] = [];
  let bestD = maxDistance + 1;
  for (const c of new Set(candidates)) {
    const d = editDistance(word, c);
    if (d < bestD) {
      best = [c];
      bestD = d;
    } else if (d === bestD) best.push(c);
  }
  if (best.length === 0) return undefined;
  return best.slice(0, 3).join("' or '");
}
