import { ModuleFailure } from '../../errors/index.js';

/**
 * Ansible's `mode` argument: an int (YAML 0644 arrives as 420), an octal string ('0644', '644'),
 * or symbolic clauses ('u=rw,g=r,o=r', 'a+X'), resolved against the current mode like
 * ansible's _symbolic_mode_to_octal.
 */
export function resolveMode(mode: unknown, current: number, isDir: boolean): number {
  if (typeof mode === 'number') return mode & 0o7777;
  if (typeof mode !== 'string') throw new ModuleFailure('mode must be in octal or symbolic form', { details: `mode must be an octal number or a string, got ${JSON.stringify(mode)}` });
  if (/^[0-7]{1,4}$/.test(mode)) return parseInt(mode, 8);
  let result = current & 0o7777;
  for (const clause of mode.split(',')) result = applyClause(clause, result, isDir);
  return result;
}

const WHO_MASK: Readonly<Record<string, number>> = { u: 0o4700, g: 0o2070, o: 0o1007 };

function applyClause(clause: string, current: number, isDir: boolean): number {
  const m = /^([ugoa]*)([-+=])([rwxXstugo]*)$/.exec(clause);
  // like ansible's file module: the message, with what was wrong as `details`
  if (m === null) throw new ModuleFailure('mode must be in octal or symbolic form', { details: `bad symbolic permission for mode: ${clause}` });
  // like ansible: no user letters means 'a' (umask is not consulted)
  const users = (m[1] === '' || m[1]!.includes('a') ? 'ugo' : m[1]!).split('');
  const op = m[2]!;
  let out = current;
  for (const who of users) {
    const bits = permBits(who, m[3]!, current, isDir);
    const mask = WHO_MASK[who]!;
    if (op === '=') out = (out & ~mask) | bits;
    else if (op === '+') out |= bits;
    else out &= ~bits;
  }
  return out;
}

function permBits(who: string, perms: string, current: number, isDir: boolean): number {
  const shift = who === 'u' ? 6 : who === 'g' ? 3 : 0;
  let bits = 0;
  for (const p of perms) {
    if (p === 'r') bits |= 4 << shift;
    else if (p === 'w') bits |= 2 << shift;
    else if (p === 'x') bits |= 1 << shift;
    else if (p === 'X') { if (isDir || (current & 0o111) !== 0) bits |= 1 << shift; }
    else if (p === 's') bits |= who === 'u' ? 0o4000 : who === 'g' ? 0o2000 : 0;
    else if (p === 't') bits |= who === 'o' ? 0o1000 : 0;
    else bits |= copyBits(p, current) << shift;
  }
  return bits;
}

/** `g=u` style: copy another class's rwx bits. */
function copyBits(from: string, current: number): number {
  const shift = from === 'u' ? 6 : from === 'g' ? 3 : 0;
  return (current >> shift) & 0o7;
}

/** Ansible prints modes as a 4-digit octal string: '0644'. */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
