import { readFileSync } from 'node:fs';
import { formatLoc } from '../types/source.js';
import type { TsplayError } from './index.js';

/** The offending line with a caret under the column, like ansible's YAML error excerpts. */
function excerpt(file: string, line: number, col: number): string | undefined {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    const text = lines[line - 1];
    if (text === undefined) return undefined;
    const before = line >= 2 ? `${lines[line - 2]}\n` : '';
    return `${before}${text}\n${' '.repeat(Math.max(0, col - 1))}^ here`;
  } catch {
    return undefined;
  }
}

/** The one place a user-facing error becomes text: message, where, excerpt, hint. No stack. */
export function renderError(e: TsplayError): string {
  const parts = [`ERROR! ${e.message}`];
  if (e.where) {
    parts.push('', `The error appears to be in '${formatLoc(e.where)}'.`);
    const ex = excerpt(e.where.file, e.where.line, e.where.col);
    if (ex) parts.push('', 'The offending line appears to be:', '', ex.split('\n').map((l) => `  ${l}`).join('\n'));
  }
  if (e.hint) parts.push('', `Hint: ${e.hint}`);
  return `${parts.join('\n')}\n`;
}
