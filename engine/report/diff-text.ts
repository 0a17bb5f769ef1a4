import type { FileDiff } from '../types/module.js';

/** difflib's _format_range_unified: "start,length", "start" alone for one line, "start-1,0" for none. */
function hunkRange(start: number, length: number): string {
  if (length === 1) return `${start + 1}`;
  return length === 0 ? `${start},0` : `${start + 1},${length}`;
}

interface DiffLine { readonly tag: ' ' | '+' | '-'; readonly text: string; readonly ai: number; readonly bi: number }

/** Line edit script (LCS): every line tagged kept, added or removed, with its positions in a and b. */
function editScript(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) out.push({ tag: ' ', text: a[i++]!, ai: i - 1, bi: j++ });
    // like difflib: within a replaced region the removed lines come first
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push({ tag: '-', text: a[i++]!, ai: i - 1, bi: j });
    else out.push({ tag: '+', text: b[j++]!, ai: i, bi: j - 1 });
  }
  return out;
}

/**
 * A unified diff of before/after text like ansible's --diff output (python difflib.unified_diff
 * with 3 lines of context: hunks of changes closer than 6 lines merge).
 */
export function unifiedDiff(before: string, after: string, beforeHeader = 'before', afterHeader = 'after', context = 3): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const lines = editScript(a, b);
  const changed = lines.flatMap((l, k) => (l.tag === ' ' ? [] : [k]));
  if (changed.length === 0) return '';
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const last = hunks[hunks.length - 1];
    if (last && k - last[1] <= 2 * context) last[1] = k;
    else hunks.push([k, k]);
  }
  let out = `--- ${beforeHeader}\n+++ ${afterHeader}\n`;
  for (const [first, lastChange] of hunks) {
    const from = Math.max(0, first - context);
    const to = Math.min(lines.length - 1, lastChange + context);
    const body = lines.slice(from, to + 1);
    const aLen = body.filter((l) => l.tag !== '+').length;
    const bLen = body.filter((l) => l.tag !== '-').length;
    out += `@@ -${hunkRange(body[0]!.ai, aLen)} +${hunkRange(body[0]!.bi, bLen)} @@\n${body.map((l) => `${l.tag}${l.text}`).join('\n')}\n`;
  }
  return out;
}

/** like ansible's _get_diff: binary content is never printed (escape sequences would reach the terminal). */
function skipped(d: FileDiff): string {
  let out = '';
  if (d.dstBinary === true) out += 'diff skipped: destination file appears to be binary\n';
  if (d.srcBinary === true) out += 'diff skipped: source file appears to be binary\n';
  return out;
}

/** ansible's _get_diff: each non-empty diff followed by a blank line. */
export function renderDiff(diff: unknown): string {
  const list = (Array.isArray(diff) ? diff : [diff]) as FileDiff[];
  return list
    .filter((d) => d && typeof d === 'object' && (d.before !== undefined || d.after !== undefined))
    .map((d) => {
      if (d.srcBinary === true || d.dstBinary === true) return skipped(d).replace(/\n$/, '');
      return d.before === d.after ? '' : unifiedDiff(String(d.before ?? ''), String(d.after ?? ''), d.beforeHeader ? `before: ${d.beforeHeader}` : 'before', d.afterHeader ? `after: ${d.afterHeader}` : 'after');
    })
    .filter((text) => text !== '')
    .map((text) => `${text}\n`)
    .join('');
}
