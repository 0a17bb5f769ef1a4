import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Templar } from '../../../engine/template/index.js';
import { TsplayError } from '../../../engine/errors/index.js';
import { varsOf } from './helpers.js';

/*
 * Table-driven checks against ansible-core 2.14. cases/<family>.cases.json holds the inputs;
 * cases/<family>.ansible.json holds what ansible-playbook returned for them, recorded with
 * oracle/oracle.py (re-run it after adding cases:
 *   python3 oracle/oracle.py < cases/F.cases.json > cases/F.ansible.json).
 */

interface Case {
  readonly id: string;
  readonly mode: 'template' | 'when' | 'var' | 'text';
  readonly expr: string;
  readonly vars: Record<string, unknown>;
  readonly opts?: { lstrip_blocks?: boolean; trim_blocks?: boolean };
}
type Observed = { value: unknown } | { error: string };

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./cases/${name}`, import.meta.url), 'utf8')) as T;
}

function run(t: Templar, c: Case): unknown {
  const vars = varsOf(structuredClone(c.vars));
  switch (c.mode) {
    case 'template': return t.template(c.expr, vars);
    case 'when': return t.evaluateConditional(c.expr, vars);
    case 'var': return t.evaluateExpression(c.expr, vars);
    case 'text': return t.renderText(c.expr, vars, { lstripBlocks: c.opts?.lstrip_blocks, trimBlocks: c.opts?.trim_blocks });
  }
}

/** Ids whose error text differs from Jinja's wording (syntax errors come from another parser). */
export function runFamily(family: string, looseMessages: readonly string[] = []): void {
  const cases = load<Case[]>(`${family}.cases.json`);
  const observed = load<Record<string, Observed>>(`${family}.ansible.json`);
  const t = new Templar();
  describe(family, () => {
    for (const c of cases) {
      const want = observed[c.id] as Observed;
      if ('error' in want) {
        test(`${c.id}: fails like ansible`, () => {
          let err: unknown;
          try {
            run(t, c);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(TsplayError);
          if (!looseMessages.includes(c.id)) expect(want.error).toContain((err as Error).message);
        });
      } else {
        test(c.id, () => {
          expect(run(t, c)).toEqual(want.value);
        });
      }
    }
  });
}
