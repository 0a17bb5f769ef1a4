import { TemplateError, TsplayError, UndefinedVariableError } from '../errors/index.js';
import { njRuntime } from './nunjucks-internals.js';
import { compileTemplate, type CompiledTemplate } from './compiler.js';
import { makeRuntime, type Runtime, type FilterFn, type TestFn } from './runtime.js';
import { RenderContext, type RenderInfo, type TemplateCallOptions, type GlobalFn } from './context.js';
import { convertData } from './concat.js';
import { pyStr } from './python/repr.js';
import { truthy } from './python/ops.js';
import { isDict, toPlain, PyFloat, type VarSource } from './python/values.js';
import { buildFilters } from './filters/index.js';
import { buildTests } from './tests/index.js';
import { buildGlobals } from './globals.js';
import { includeEnv } from './include-env.js';
import { buildLookups, type LookupFn } from './lookups/index.js';
import type { ParseOptions } from './parser.js';
import { applyHeaderOverrides } from './overrides.js';

const CACHE_LIMIT = 4000;
/** The template module's and lookup's Jinja2 environment settings (see ParseOptions). */
type FileOptions = Partial<Pick<ParseOptions, 'trimBlocks' | 'lstripBlocks' | 'delimiters' | 'newlineSequence'>>;
/** ansible's SINGLE_VAR: "{{ name }}" returns a bool/number/None variable as it is. */
const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;
const VAR_TEXT: ParseOptions = { trimBlocks: true, lstripBlocks: false, escapeBackslashes: true };

function trailingNewlines(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\n'; i--) n++;
  return n;
}

/** Renders Jinja2 the way ansible-core 2.14 does (non-native). One per engine; no shared state. */
export class Templar {
  private readonly cache = new Map<string, CompiledTemplate>();
  private readonly filters: Map<string, FilterFn>;
  private readonly tests: Map<string, TestFn>;
  private readonly globals: Map<string, GlobalFn>;
  private readonly lookups: Map<string, LookupFn>;
  private readonly runtime: Runtime;

  constructor() {
    this.tests = buildTests();
    this.filters = buildFilters({ filter: (n) => this.filters.get(n), test: (n) => this.tests.get(n) });
    // Jinja2's `filter` test needs the filter table
    this.tests.set('filter', (name) => this.filters.has(String(name)));
    this.lookups = buildLookups();
    this.globals = buildGlobals(this.lookups);
    this.runtime = makeRuntime({ filters: this.filters, tests: this.tests });
  }

  isTemplate(s: string): boolean {
    return s.includes('{{') || s.includes('{%') || s.includes('{#');
  }

  /** Python's str() of a value (error messages quote raw variable values this way). */
  display(value: unknown): string {
    return pyStr(value);
  }

  template(value: unknown, vars: VarSource, opts: TemplateCallOptions = {}): unknown {
    if (typeof value === 'string') return this.templateString(value, vars, opts);
    if (Array.isArray(value)) return value.map((v) => this.template(v, vars, opts));
    if (isDict(value)) {
      // like ansible 2.14: values are templated, keys are not
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.template(v, vars, opts);
      return out;
    }
    return value;
  }

  /**
   * with_<name>: like ansible's TaskExecutor, the lookup plugin runs directly on the listified,
   * already templated terms and its list is the loop's items (errors are the plugin's own).
   */
  loopLookup(name: string, terms: unknown, vars: VarSource, opts: TemplateCallOptions = {}): unknown[] {
    const fn = this.lookups.get(name);
    if (!fn) throw new TemplateError(`Unexpected failure in finding the lookup named '${name}' in the available lookup plugins`, { where: opts.where });
    // like ansible: a mapping stays one term (with_dict), a string or scalar becomes [term]
    return fn(Array.isArray(terms) ? terms : [terms], {}, this.renderInfo(vars, opts));
  }

  renderText(text: string, vars: VarSource, opts: TemplateCallOptions & FileOptions = {}): string {
    const popts: ParseOptions = {
      trimBlocks: opts.trimBlocks ?? true, lstripBlocks: opts.lstripBlocks ?? false, escapeBackslashes: false,
      delimiters: opts.delimiters, newlineSequence: opts.newlineSequence,
    };
    return this.render(text, popts, vars, opts);
  }

  evaluateConditional(expr: unknown, vars: VarSource, opts: TemplateCallOptions = {}): boolean {
    if (typeof expr === 'boolean') return expr;
    if (expr === null || expr === undefined || expr === '') return true;
    // like ansible: the conditional is templated first, so when: "{{ s }}" with s='false' is false
    const templated = this.template(expr, vars, opts);
    if (typeof templated !== 'string') return truthy(templated);
    if (templated === '') return true;
    try {
      const out = this.render(`{% if ${templated} %}True{% else %}False{% endif %}`, VAR_TEXT, vars, opts);
      return out === 'True';
    } catch (e) {
      if (e instanceof UndefinedVariableError) {
        const answer = definedCheck(templated, e.variable);
        if (answer !== undefined) return answer;
      }
      throw e;
    }
  }

  /**
   * debug `var:` semantics: ansible templates "{{ expr }}", so 4/2 gives the string "2.0",
   * and an undefined variable gives 'VARIABLE IS NOT DEFINED!' instead of an error.
   */
  evaluateExpression(expr: string, vars: VarSource, opts: TemplateCallOptions = {}): unknown {
    try {
      return this.templateString(`{{${expr}}}`, vars, opts);
    } catch (e) {
      // like ansible's debug action
      if (e instanceof UndefinedVariableError) return 'VARIABLE IS NOT DEFINED!';
      throw e;
    }
  }

  private templateString(s: string, vars: VarSource, opts: TemplateCallOptions): unknown {
    if (!this.isTemplate(s)) return s;
    const single = SINGLE_VAR.exec(s);
    if (single && vars.has(single[1] as string)) {
      const v = vars.get(single[1] as string);
      if (v === null || typeof v === 'boolean' || typeof v === 'number' || v instanceof PyFloat) return toPlain(v);
    }
    const { text: out, nativeText, keptTexts } = this.renderWith(s, VAR_TEXT, vars, opts);
    if (nativeText || keptTexts.has(out)) return out;
    return convertData(out);
  }

  private compiled(src: string, popts: ParseOptions, opts: TemplateCallOptions): CompiledTemplate {
    const key = `${+popts.trimBlocks}${+popts.lstripBlocks}${+popts.escapeBackslashes}${popts.delimiters || popts.lineStatementPrefix !== undefined || popts.lineCommentPrefix !== undefined || popts.newlineSequence ? JSON.stringify(popts) : ''}${src}`;
    let c = this.cache.get(key);
    if (c) return c;
    try {
      c = compileTemplate(src, popts);
    } catch (e) {
      const msg = e instanceof Error ? e.message.replace(/^\(unknown path\)\s*/, '').replace(/\n\s*/g, ' ') : String(e);
      throw new TemplateError(`template error while templating string: ${msg}. String: ${src}`, {
        where: opts.where,
        hint: 'check the Jinja2 syntax: matching {{ }} / {% %}, quotes and parentheses',
        cause: e,
      });
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, c);
    return c;
  }

  private render(src: string, popts: ParseOptions, vars: VarSource, opts: TemplateCallOptions): string {
    return this.renderWith(src, popts, vars, opts).text;
  }

  private renderWith(src: string, base: ParseOptions, vars: VarSource, opts: TemplateCallOptions): { text: string; nativeText: boolean; keptTexts: ReadonlySet<string> } {
    // like ansible's do_template: a `#jinja2:` first line sets this template's Jinja2 options
    const { body: text, opts: popts } = this.headerOverrides(src, base, opts);
    // Jinja drops one trailing newline of the source; ansible then restores the source's count
    const body = text.endsWith('\n') && !popts.keepTrailingNewline ? text.slice(0, -1) : text;
    const tmpl = this.compiled(body, popts, opts);
    const keptTexts = new Set<string>();
    const info = this.renderInfo(vars, opts, keptTexts);
    const context = new RenderContext(info, this.globals);
    const frame = new njRuntime.Frame();
    frame.topLevel = true;
    let result = '';
    let error: unknown;
    const env = includeEnv({ info, globals: this.globals, runtime: this.runtime, compile: (text) => this.compiled(text, popts, opts) });
    tmpl.root(env, context, frame, this.runtime, (err: unknown, res: string) => {
      error = err;
      result = res;
    });
    if (error) throw withWhere(error, src, opts);
    const missing = trailingNewlines(src) - trailingNewlines(result);
    // like ansible: the restored newlines are the environment's newline_sequence
    const restored = missing > 0 ? result + (popts.newlineSequence ?? '\n').repeat(missing) : result;
    return { text: restored, nativeText: tmpl.nativeText, keptTexts };
  }

  private headerOverrides(src: string, base: ParseOptions, opts: TemplateCallOptions): { body: string; opts: ParseOptions } {
    try {
      return applyHeaderOverrides(src, base);
    } catch (e) {
      throw e instanceof TemplateError ? new TemplateError(e.message, { where: opts.where, hint: e.hint, cause: e }) : e;
    }
  }

  private renderInfo(vars: VarSource, opts: TemplateCallOptions, keptTexts = new Set<string>()): RenderInfo {
    return {
      vars,
      opts,
      renderText: (text, v, fileOpts) => this.renderText(text, v, { ...opts, ...fileOpts }),
      keepAsText: (text) => keptTexts.add(text),
      template: (value) => this.template(value, vars, opts),
    };
  }
}

/** ansible's fallback for `x is defined`-style conditionals that hit the undefined x itself. */
function definedCheck(cond: string, name: string): boolean | undefined {
  const re = /([\w_]+|hostvars\[.+?\])\s+(is\s+not|is|not\s+in|in)\s+(defined|undefined)/g;
  for (let m = re.exec(cond); m; m = re.exec(cond)) {
    if ((m[1] as string).replace(/'/g, '"') !== name.replace(/'/g, '"')) continue;
    const shouldExist = (m[2] as string).includes('not') !== (m[3] === 'defined');
    return !shouldExist;
  }
  return undefined;
}

function withWhere(e: unknown, src: string, opts: TemplateCallOptions): unknown {
  if (e instanceof UndefinedVariableError) {
    const err = new UndefinedVariableError(e.variable, { where: opts.where, hint: e.hint, cause: e.cause });
    err.message = e.message; // keeps the "VALUE: msg. msg" wrapping of indirect undefined variables
    return err;
  }
  if (e instanceof TsplayError) {
    return new TemplateError(e.message, { where: opts.where, hint: e.hint ?? `while templating: ${src}`, cause: e.cause ?? e });
  }
  return e;
}
