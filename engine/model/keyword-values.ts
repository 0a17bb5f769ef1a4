import { ParseError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';

/**
 * Keywords whose value ansible converts to a bool or an int (FieldAttribute isa='bool'/'int'
 * in ansible-core 2.14). An unconvertible value is an error, never a silent false or 0:
 * `no_log: ture` must not print the secret, `become: maybe` must not run as the login user.
 */
export type KeywordKind = 'bool' | 'int';

export const KEYWORD_KINDS: Readonly<Record<string, KeywordKind>> = {
  become: 'bool', check_mode: 'bool', diff: 'bool', ignore_errors: 'bool', ignore_unreachable: 'bool',
  no_log: 'bool', run_once: 'bool', any_errors_fatal: 'bool', delegate_facts: 'bool',
  gather_facts: 'bool', force_handlers: 'bool',
  port: 'int', throttle: 'int', timeout: 'int', retries: 'int', delay: 'int', async: 'int', poll: 'int',
  gather_timeout: 'int',
};

const TRUE = ['y', 'yes', 'on', '1', 'true', 't'];
const FALSE = ['n', 'no', 'off', '0', 'false', 'f'];

export type Converted<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

/** ansible's boolean(strict=True). */
export function convertBool(v: unknown): Converted<boolean> {
  if (typeof v === 'boolean') return { ok: true, value: v };
  if (v === null || v === undefined) return { ok: true, value: false };
  if (typeof v === 'number' && (v === 0 || v === 1)) return { ok: true, value: v === 1 };
  const s = typeof v === 'string' ? v.trim().toLowerCase() : undefined;
  if (s !== undefined && TRUE.includes(s)) return { ok: true, value: true };
  if (s !== undefined && FALSE.includes(s)) return { ok: true, value: false };
  return { ok: false, why: `The value '${String(v)}' is not a valid boolean.  Valid booleans include: ${['0', '1', ...[...TRUE, ...FALSE].map((w) => `'${w}'`)].join(', ')}` };
}

/** Python's int(): integers, floats truncated, decimal strings with optional sign and blanks. */
export function convertInt(v: unknown): Converted<number> {
  if (typeof v === 'number' && Number.isFinite(v)) return { ok: true, value: Math.trunc(v) };
  if (typeof v === 'boolean') return { ok: true, value: v ? 1 : 0 };
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return { ok: true, value: Number(v.trim()) };
  return { ok: false, why: `invalid literal for int() with base 10: '${String(v)}'` };
}

export function convertKeyword(kind: KeywordKind, v: unknown): Converted<boolean | number> {
  return kind === 'bool' ? convertBool(v) : convertInt(v);
}

/** like ansible: "the field 'delay' has an invalid value (soon), and could not be converted to an int." */
export function invalidValueMessage(name: string, raw: unknown, kind: KeywordKind, why: string): string {
  const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
  // like ansible's FieldAttributeBase: 'an bool.The error was' (two literals joined), and
  // AnsibleParserError repeats the original error after the message
  return `the field '${name}' has an invalid value (${shown}), and could not be converted to an ${kind}.The error was: ${why}. ${why}`;
}

export function isTemplated(v: unknown): boolean {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%'));
}

/**
 * Keywords whose bad literal fails its task at run time, like ansible (`diff: yes.`): they
 * only change what is shown or how long/often a task is tried, and every reader converts them
 * strictly. The others (no_log, become, check_mode, run_once ...) guard secrets, privileges or
 * hosts, so tsplay refuses a bad literal at load time, before any host is touched.
 */
const RUN_TIME_CHECKED: ReadonlySet<string> = new Set(['diff', 'retries', 'delay', 'timeout']);

/** Parse time: a literal that cannot be converted is an error at its file:line:col. */
export function checkKeywordValues(d: Readonly<Record<string, unknown>>, locOfKey: (key: string) => SourceLoc): void {
  for (const [name, raw] of Object.entries(d)) {
    const kind = KEYWORD_KINDS[name];
    if (kind === undefined || raw === undefined || isTemplated(raw) || RUN_TIME_CHECKED.has(name)) continue;
    const c = convertKeyword(kind, raw);
    if (c.ok) continue;
    throw new ParseError(invalidValueMessage(name, raw, kind, c.why), {
      where: locOfKey(name),
      hint: kind === 'bool' ? `'${name}' takes true or false (yes/no, on/off, 1/0)` : `'${name}' takes a whole number`,
    });
  }
}
