import { ParseError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';

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

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/**
 * ansible's Base._load_vars: `vars:` is a mapping or a list of mappings merged in order, and
 * every name must be a valid identifier. Returns the merged mapping, or an error text.
 */
export function varsMapping(v: unknown, owner: string): { vars: Record<string, unknown> } | { error: string } {
  if (v === undefined || v === null) return { vars: {} };
  const parts = Array.isArray(v) ? v : [v];
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    if (part === null || typeof part !== 'object' || Array.isArray(part)) return { error: `Vars in a ${owner} must be specified as a dictionary, or a list of dictionaries` };
    for (const k of Object.keys(part)) {
      if (!IDENTIFIER.test(k)) return { error: `Invalid variable name in vars specified for ${owner}: '${k}' is not a valid variable name` };
    }
    Object.assign(out, part);
  }
  return { vars: out };
}

/** varsMapping that raises ansible's parser error at `where`. */
export function loadVars(v: unknown, owner: string, where: SourceLoc): Record<string, unknown> {
  const r = varsMapping(v, owner);
  if ('error' in r) throw new ParseError(r.error, { where, hint: 'write vars: as a mapping of name: value' });
  return r.vars;
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
