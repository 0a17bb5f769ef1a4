import type { FileDiff } from '../types/module.js';

/** A unified diff of before/after text, like ansible's --diff output (line-based LCS). */
export function unifiedDiff(before: string, after: string, beforeHeader = 'before', afterHeader = 'after'): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { lines.push(` ${a[i]}`); i++; j++; }
    else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) { lines.push(`+${b[j]}`); j++; }
    else { lines.push(`-${a[i]}`); i++; }
  }
  return `--- ${beforeHeader}\n+++ ${afterHeader}\n@@ -1,${n} +1,${m} @@\n${lines.join('\n')}\n`;
}

export function renderDiff(diff: unknown): string {
  const list = (Array.isArray(diff) ? diff : [diff]) as FileDiff[];
  return list
    .filter((d) => d && typeof d === 'object' && (d.before !== undefined || d.after !== undefined))
    .map((d) => (d.before === d.after ? '' : unifiedDiff(String(d.before ?? ''), String(d.after ?? ''), d.beforeHeader ? `before: ${d.beforeHeader}` : 'before', d.afterHeader ? `after: ${d.afterHeader}` : 'after')))
    .join('\n');
}
