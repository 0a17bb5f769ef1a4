import { TemplateError, UndefinedVariableError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';
import { Undefined, type VarSource } from './python/values.js';
import type { RenderScope } from './runtime.js';
import type { Delimiters } from './parser.js';

/** Per-call options of the Templar API. */
export interface TemplateCallOptions {
  readonly where?: SourceLoc;
  readonly searchPaths?: readonly string[];
}

/** What lookups and globals need from the render that calls them. */
export interface RenderInfo {
  readonly vars: VarSource;
  readonly opts: TemplateCallOptions;
  /** Renders a whole file like the template module (for lookup('template')), with its delimiters. */
  renderText(text: string, vars: VarSource, fileOpts?: { readonly delimiters?: Delimiters }): string;
  /**
   * Marks a lookup result as ansible's NativeJinjaText (lookup('template', convert_data=False)):
   * a template whose whole output is this text returns it as a string, not literal_eval'd.
   */
  keepAsText(text: string): void;
  /** Templates a value like Templar.template (lookup results, nested strings). */
  template(value: unknown): unknown;
}

export type GlobalFn = (this: RenderContext, ...args: unknown[]) => unknown;

/**
 * The `context` object compiled templates see: top-level `{% set %}` values, then the
 * caller's variables, then globals (range, lookup, query ...), else an Undefined.
 */
export class RenderContext implements RenderScope {
  readonly ctx: Record<string, unknown> = {};
  readonly scope: RenderScope = this;
  private readonly exported: string[] = [];
  constructor(
    readonly info: RenderInfo,
    private readonly globals: ReadonlyMap<string, GlobalFn>,
  ) {}

  lookup(name: string): unknown {
    const vars = this.info.vars;
    if (vars.has(name)) {
      try {
        return vars.get(name);
      } catch (e) {
        // like ansible's lazy vars: a variable whose value hits an undefined variable is itself
        // undefined, so `default` and `is defined` work on it; any other use raises the error
        if (e instanceof UndefinedVariableError || (e instanceof TemplateError && /is undefined/.test(e.message))) return new Undefined(name, e.message, e);
        throw e;
      }
    }
    const g = this.globals.get(name);
    return g ?? new Undefined(name);
  }
  setVariable(name: string, value: unknown): void {
    this.ctx[name] = value;
  }
  getVariables(): Record<string, unknown> {
    return this.ctx;
  }
  addExport(name: string): void {
    this.exported.push(name);
  }
  getExported(): Record<string, unknown> {
    return Object.fromEntries(this.exported.map((n) => [n, this.ctx[n]]));
  }
  getBlock(name: string): never {
    throw new TemplateError(`template blocks are not supported (block '${name}')`);
  }
}
