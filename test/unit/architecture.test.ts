import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const engine = join(__dirname, '..', '..', 'engine');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function area(file: string): string {
  const rel = relative(engine, file).split('/');
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
}

/** design.md's dependency direction: who may import whom (folders under engine/). */
const ALLOWED: Record<string, readonly string[]> = {
  types: ['types'],
  errors: ['errors', 'types'],
  source: ['source', 'errors', 'types'],
  config: ['config', 'errors', 'types'],
  template: ['template', 'errors', 'types', 'source'],
  inventory: ['inventory', 'errors', 'types', 'source'],
  vars: ['vars', 'errors', 'types', 'template'],
  model: ['model', 'errors', 'types', 'source'],
  transport: ['transport', 'errors', 'types'],
  facts: ['facts', 'errors', 'types', 'transport'],
  report: ['report', 'types'],
  pymodules: ['pymodules', 'errors', 'types', 'transport'],
};

describe('architecture', () => {
  const all = files(engine);
  it('finds the engine sources', () => {
    expect(all.length).toBeGreaterThan(50);
  });
  it.each(Object.keys(ALLOWED))('%s imports only what design.md allows', (name) => {
    const bad: string[] = [];
    for (const f of all.filter((x) => area(x) === name)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = join(f, '..', m[1]!);
        const a = area(target.replace(/\.js$/, '.ts'));
        if (!ALLOWED[name]!.includes(a)) bad.push(`${relative(engine, f)} -> ${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });
  it('has no module-level `let` (no mutable globals)', () => {
    const bad = all.filter((f) => /^let /m.test(readFileSync(f, 'utf8'))).map((f) => relative(engine, f));
    expect(bad).toEqual([]);
  });
});
