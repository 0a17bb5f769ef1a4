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

/** The folder under engine/ a file belongs to; engine/api.ts belongs to api/ (its front door). */
function area(file: string): string {
  const rel = relative(engine, file).split('/');
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
}

/** Relative imports of a file, resolved to .ts paths (type-only imports count: they are edges too). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)].map((m) => join(file, '..', m[1]!).replace(/\.js$/, '.ts'));
}

/**
 * design.md's dependency direction: who may import whom (folders under engine/). Every folder
 * of engine/ must have an entry (a new folder fails the test until it is placed here).
 * python/ is the one home of Python-compatibility helpers (boolean, fnmatch, shlex): everyone may use it.
 */
const BASE = ['errors', 'types', 'python'];
const ALLOWED: Record<string, readonly string[]> = {
  types: ['types'],
  errors: ['errors', 'types'],
  python: ['python', 'errors', 'types'],
  source: ['source', ...BASE],
  config: ['config', ...BASE],
  template: ['template', 'source', ...BASE],
  inventory: ['inventory', 'source', ...BASE],
  vars: ['vars', 'template', ...BASE],
  model: ['model', 'source', ...BASE],
  transport: ['transport', ...BASE],
  facts: ['facts', 'transport', ...BASE],
  pki: ['pki', 'transport', ...BASE],
  // cluster/: Kubespray-inventory validation and offline lists (pure functions over variables)
  cluster: ['cluster', 'template', ...BASE],
  modules: ['modules', 'cluster', 'facts', 'pki', 'source', 'transport', ...BASE],
  report: ['report', 'types'],
  lab: ['lab', ...BASE],
  run: ['run', 'facts', 'inventory', 'model', 'modules', 'pymodules', 'source', 'template', 'transport', 'vars', ...BASE],
  api: ['api', 'config', 'facts', 'inventory', 'lab', 'model', 'modules', 'pki', 'report', 'run', 'source', 'template', 'transport', 'vars', 'vault', 'pymodules', ...BASE],
  // cli turns argv into requests for the api and prints errors: nothing else
  // (and the vault library for `tsplay vault` and reading vault passwords before a run)
  cli: ['cli', 'api', 'config', 'vault', 'version', ...BASE],
  // version.ts: the one place tsplay's version is written (checked against package.json)
  version: [],
  vault: ['vault', 'errors', 'types', 'source'],
  pymodules: ['pymodules', 'errors', 'types', 'transport'],
};

/** Every cycle of the file import graph, each as a path `a -> b -> ... -> a` (Tarjan's SCCs). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      scc.push(w);
      if (w === v) break;
    }
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('architecture', () => {
  const all = files(engine);
  it('finds the engine sources', () => {
    expect(all.length).toBeGreaterThan(50);
  });
  it('places every folder of engine/ in the dependency table', () => {
    const areas = [...new Set(all.map(area))].sort();
    expect(areas.filter((a) => !(a in ALLOWED))).toEqual([]);
    expect(areas).toContain('run');
    expect(areas).toContain('cli');
  });
  it.each(Object.keys(ALLOWED))('%s imports only what design.md allows', (name) => {
    const bad: string[] = [];
    for (const f of all.filter((x) => area(x) === name)) {
      for (const target of importsOf(f)) {
        if (!ALLOWED[name]!.includes(area(target))) bad.push(`${relative(engine, f)} -> ${relative(engine, target)}`);
      }
    }
    expect(bad).toEqual([]);
  });
  it('has no import cycle between files', () => {
    const graph = new Map(all.map((f) => [relative(engine, f), importsOf(f).map((t) => relative(engine, t))]));
    expect(cycles(graph)).toEqual([]);
  });
  it('finds a cycle when there is one (the check can fail)', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
  });
  it('has no module-level `let` (no mutable globals)', () => {
    const bad = all.filter((f) => /^let /m.test(readFileSync(f, 'utf8'))).map((f) => relative(engine, f));
    expect(bad).toEqual([]);
  });
});
