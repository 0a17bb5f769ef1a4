import { TsplayError } from '../errors/index.js';

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

const TRUE_WORDS = ['y', 'yes', 'on', '1', 'true', 't'];
const FALSE_WORDS = ['n', 'no', 'off', '0', 'false', 'f'];

/**
 * A boolean keyword (diff, check_mode) as ansible's post_validate converts it: strictly, so
 * `diff: yes.` fails the task instead of silently meaning false.
 */
export function keywordBool(name: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const word = String(v).trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word) || v === null) return false;
  const valid = ['0', '1', ...[...TRUE_WORDS, ...FALSE_WORDS].map((w) => `'${w}'`)].join(', ');
  const why = `The value '${String(v)}' is not a valid boolean.  Valid booleans include: ${valid}`;
  // like ansible's AnsibleParserError: the original error is repeated after the message
  throw new TsplayError('task', `the field '${name}' has an invalid value (${String(v)}), and could not be converted to an bool.The error was: ${why}. ${why}`, { hint: `${name} takes yes/no/true/false` });
}
