import type { FileDiff } from '../../types/module.js';

/** Content diff with ansible's headers for in-place editors: "PATH (content)". */
export function contentDiff(path: string, before: string, after: string): FileDiff {
  return { before, after, beforeHeader: `${path} (content)`, afterHeader: `${path} (content)` };
}

/**
 * The file module reports dict diffs ({path, state, mode}); ansible's callback serializes them
 * as sorted JSON with indent 4 before diffing, so the text form matches what it would print.
 */
export function attrDiff(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): FileDiff {
  return { before: serialize(before), after: serialize(after) };
}

function serialize(d: Readonly<Record<string, unknown>>): string {
  const sorted = Object.fromEntries(Object.entries(d).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify(sorted, null, 4)}\n`;
}
