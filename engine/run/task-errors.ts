import { readFileSync } from 'node:fs';
import { TemplateError, TsplayError, UndefinedVariableError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';

/** A task-level failure whose message is already worded like ansible's (location added on output). */
export class ConditionalError extends TsplayError {
  constructor(message: string, where: SourceLoc) {
    super('conditional', message, { where });
    this.name = 'ConditionalError';
  }
}

/** ansible raises AnsibleUndefinedVariable for a missing variable and for a missing attribute/key. */
export function isUndefinedError(e: unknown): e is TemplateError {
  if (e instanceof UndefinedVariableError) return true;
  return e instanceof TemplateError && /^'[^']*' has no attribute '|object has no element /.test(e.message);
}

/** ansible's AnsibleUndefinedVariable text: the message, then its original exception's message again. */
export function undefinedText(e: TemplateError): string {
  return `${e.message}. ${e.message}`;
}

/** like ansible: "The conditional check 'X' failed. The error was: error while evaluating conditional (X): ..." */
export function conditionalError(cond: unknown, e: TemplateError, where: SourceLoc): ConditionalError {
  return new ConditionalError(`The conditional check '${String(cond)}' failed. The error was: error while evaluating conditional (${String(cond)}): ${undefinedText(e)}`, where);
}

/**
 * ansible's "The error appears to be in ..." suffix with the offending lines (errors/__init__.py
 * _get_extended_error: the line before, the task line, a caret under the column).
 */
export function ansibleLocation(loc: SourceLoc): string {
  let out = `\n\nThe error appears to be in '${loc.file}': line ${loc.line}, column ${loc.col}, but may\nbe elsewhere in the file depending on the exact syntax problem.\n`;
  let lines: string[];
  try {
    lines = readFileSync(loc.file, 'utf8').split('\n');
  } catch {
    return out;
  }
  const target = lines[loc.line - 1] ?? '';
  const prev = loc.line >= 2 ? (lines[loc.line - 2] ?? '') : '';
  if (target === '') return out;
  out += `\nThe offending line appears to be:\n\n${prev.trimEnd()}\n${target.trimEnd()}\n${' '.repeat(Math.max(0, loc.col - 1))}^ here\n`;
  return out;
}
