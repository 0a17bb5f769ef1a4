import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const modules = join(__dirname, '..', '..', '..', 'engine', 'modules');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Reads of the check-mode flag: `x.check` as a value (not a call like validator.check(...)),
 * `check_mode`, `checkMode`, `options.check`. Only the gate (run/module-context.ts) may know
 * check mode; modules go through ctx.probe / ctx.change / ctx.mayChange (design.md §4).
 */
const CHECK_READ = /\.check\b(?!\s*\()|\bcheck_mode\b|\bcheckMode\b/g;

function checkReads(text: string): number {
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  return [...code.matchAll(CHECK_READ)].length;
}

describe('the check-mode gate', () => {
  it('finds a check read when there is one (the count can fail)', () => {
    expect(checkReads('if (!changed || ctx.check) return out;')).toBe(1);
    expect(checkReads('const c = kw.check_mode;')).toBe(1);
    expect(checkReads('this.validator.check(mod, args); // ctx.check in a comment')).toBe(0);
  });
  it('has zero places in engine/modules that read the check flag', () => {
    const all = files(modules);
    expect(all.length).toBeGreaterThan(30);
    const places = all.flatMap((f) => (checkReads(readFileSync(f, 'utf8')) > 0 ? [`${relative(modules, f)}: ${checkReads(readFileSync(f, 'utf8'))}`] : []));
    expect(places).toEqual([]);
  });
});

/** Reads of the diff flag (`ctx.diff`, `.diff` as a boolean): modules describe diffs through ctx.diffs.of. */
const DIFF_READ = /\bctx\.diff\b(?!s)|\boptions\.diff\b/g;

function diffReads(text: string): number {
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  return [...code.matchAll(DIFF_READ)].length;
}

describe('the diff gate', () => {
  it('finds a diff read when there is one (the count can fail)', () => {
    expect(diffReads('if (ctx.diff) out.diff = d;')).toBe(1);
    expect(diffReads('return { ...out, ...ctx.diffs.of(() => d) };')).toBe(0);
  });
  it('has zero places in engine/modules (and pymodules) that read the diff flag themselves', () => {
    const all = [...files(modules), ...files(join(modules, '..', 'pymodules'))];
    const places = all.flatMap((f) => (diffReads(readFileSync(f, 'utf8')) > 0 ? [`${relative(modules, f)}: ${diffReads(readFileSync(f, 'utf8'))}`] : []));
    expect(places).toEqual([]);
  });
});

describe('commands built from parts (design.md §8)', () => {
  // quote() by hand next to shell text is how injection slips in; modules use the sh`` builder
  // (every interpolation quoted, shell text only as verbatim()) or joinArgv for a plain argv
  const HAND_QUOTE = /\bquote\(|\.map\(quote\)/g;
  it('finds a hand-quoted command when there is one (the count can fail)', () => {
    expect('`rm -f ${quote(p)}`'.match(HAND_QUOTE)).toHaveLength(1);
    expect('sh`rm -f ${p}`'.match(HAND_QUOTE)).toBeNull();
  });
  it('has no quote() call in engine/modules or engine/pymodules', () => {
    const all = [...files(modules), ...files(join(modules, '..', 'pymodules'))];
    const places = all.filter((f) => HAND_QUOTE.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ''))).map((f) => relative(modules, f));
    expect(places).toEqual([]);
  });
});
