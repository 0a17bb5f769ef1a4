import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { censorResult, NO_LOG_MESSAGE, Redactor, redactingSink } from '../../../engine/transport/redact.js';
import { Secret } from '../../../engine/types/secret.js';

describe('Redactor', () => {
  const r = new Redactor([new Secret('hunter22'), 'tok-abc', undefined, 'ab']);

  it('masks every known secret inside text, longest first', () => {
    expect(r.text('sudo pw hunter22; token tok-abc; again hunter22')).toBe('sudo pw ***; token ***; again ***');
    expect(new Redactor(['abc', 'abcdef']).text('x abcdef y')).toBe('x *** y');
  });

  it('ignores values too short to mask meaningfully', () => {
    expect(r.text('ab cd')).toBe('ab cd');
  });

  it('deep-copies values with Secret objects and secret strings masked', () => {
    const v = { a: [new Secret('zzz'), 'has hunter22'], n: 1, b: null };
    expect(r.value(v)).toEqual({ a: ['***', 'has ***'], n: 1, b: null });
  });

  it('with() extends without touching the original', () => {
    const more = r.with('s3cret');
    expect(more.text('s3cret hunter22')).toBe('*** ***');
    expect(r.text('s3cret')).toBe('s3cret');
  });

  it('a redacting sink masks before writing', () => {
    const lines: string[] = [];
    redactingSink((l) => lines.push(l), r)('login with hunter22');
    expect(lines).toEqual(['login with ***']);
  });

  it('Secret itself never prints', () => {
    const s = new Secret('pw');
    expect([`${s}`, JSON.stringify({ s }), inspect(s)]).toEqual(['***', '{"s":"***"}', '***']);
  });
});

describe('no_log', () => {
  it('keeps only status flags, with ansible wording', () => {
    expect(censorResult({ changed: true, stdout: 'secret', rc: 0 })).toEqual({ censored: NO_LOG_MESSAGE, changed: true });
  });
});
