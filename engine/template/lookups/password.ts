import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { TemplateError } from '../../errors/index.js';
import type { RenderInfo } from '../context.js';
import { pyStr } from '../python/repr.js';
import type { LookupFn } from './lookup-fn.js';

/** Python's string module constants, which ansible's `chars=` names. */
const CHAR_SETS: Readonly<Record<string, string>> = {
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};
// like ansible: letters, digits and ".,:-_" when chars= is not given
const DEFAULT_CHARS = ['ascii_letters', 'digits', '.,:-_'];

interface PasswordTerm {
  readonly path: string;
  readonly length: number;
  readonly chars: string;
}

/** `path length=N chars=a,b` (",," is a literal comma, like ansible's _parse_parameters). */
function parseTerm(term: string, kw: Record<string, unknown>): PasswordTerm {
  const [path, ...params] = term.trim().split(/\s+(?=\w+=)/);
  const opts: Record<string, string> = {};
  for (const p of params) {
    const i = p.indexOf('=');
    opts[p.slice(0, i)] = p.slice(i + 1);
  }
  for (const [k, v] of Object.entries(kw)) opts[k] = Array.isArray(v) ? v.map(pyStr).join(',') : pyStr(v);
  const unknown = Object.keys(opts).filter((k) => !['length', 'chars', 'encrypt', 'seed', 'ident'].includes(k));
  if (unknown.length > 0) throw new TemplateError(`Unrecognized value(s) for password lookup: ${unknown.join(', ')}`);
  if (opts.encrypt !== undefined || opts.seed !== undefined) {
    throw new TemplateError('the password lookup options encrypt= and seed= are not supported by tsplay', { hint: 'use length= and chars=' });
  }
  const length = opts.length === undefined ? 20 : Number(opts.length);
  if (!Number.isInteger(length) || length <= 0) throw new TemplateError(`password lookup: length must be a positive integer, got '${opts.length}'`);
  const names = opts.chars === undefined ? DEFAULT_CHARS : opts.chars.replace(/,,/g, '\u0000').split(',').map((c) => c.replace(/\u0000/g, ','));
  const chars = [...new Set(names.map((n) => CHAR_SETS[n] ?? n).join(''))].join('');
  return { path, length, chars };
}

function generate(t: PasswordTerm): string {
  return Array.from({ length: t.length }, () => t.chars[randomInt(t.chars.length)]).join('');
}

/**
 * Like ansible's password lookup: the first use generates a random password and stores it in
 * the file (file 0600, its folder 0700 when created, on the controller); later uses read it back. Kubespray
 * keeps its cluster secrets this way under the inventory's credentials/ folder.
 */
function passwordLookup(terms: unknown[], kw: Record<string, unknown>, info: RenderInfo): unknown[] {
  return terms.flat().map((raw) => {
    const t = parseTerm(pyStr(raw), kw);
    if (t.path === '/dev/null') return generate(t);
    const base = info.vars.has('playbook_dir') ? pyStr(info.vars.get('playbook_dir')) : process.cwd();
    const path = isAbsolute(t.path) ? t.path : join(base, t.path);
    let existing: string | undefined;
    try {
      existing = readFileSync(path, 'utf8');
    } catch {
      existing = undefined;
    }
    // like ansible: the stored value is the first line, without a ' salt=...' part
    if (existing !== undefined) return existing.split('\n')[0].replace(/ salt=.*$/, '');
    const value = generate(t);
    // like python's os.makedirs(mode=0o700) in ansible: only the last folder gets 0700
    mkdirSync(dirname(dirname(path)), { recursive: true });
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.tsplay-${process.pid}`;
    writeFileSync(tmp, `${value}\n`, { mode: 0o600 });
    renameSync(tmp, path);
    return value;
  });
}

export const passwordLookups: Record<string, LookupFn> = { password: passwordLookup };
