import { readFileSync } from 'node:fs';
import { TemplateError } from '../errors/index.js';
import type { CompiledTemplate } from './compiler.js';
import { RenderContext, type GlobalFn, type RenderInfo } from './context.js';
import { findInSearchPath } from './lookups/files.js';
import { njRuntime } from './nunjucks-internals.js';
import type { Runtime } from './runtime.js';

type Callback = (err: unknown, res?: unknown) => void;
type Task = (...args: unknown[]) => void;

/** What the compiled code of {% include %} / {% import %} calls on the loaded template. */
interface LoadedTemplate {
  render(ctxVars: Record<string, unknown>, frame: unknown, cb: Callback): void;
  getExported(ctxVarsOrCb: unknown, frame?: unknown, cb?: Callback): void;
}

export interface IncludeDeps {
  readonly info: RenderInfo;
  readonly globals: ReadonlyMap<string, GlobalFn>;
  readonly runtime: Runtime;
  compile(text: string): CompiledTemplate;
}

/** nunjucks' env.waterfall, synchronous like every render here. */
function waterfall(tasks: readonly Task[], done: Callback): void {
  let i = 0;
  const next = (err: unknown, ...args: unknown[]): void => {
    if (err || i >= tasks.length) return done(err, ...(args as []));
    tasks[i++]!(...args, next);
  };
  next(null);
}

/**
 * The environment object compiled templates receive. Like Jinja2 under ansible, {% include %}
 * and {% import %} load other templates from the template search path (the role's and play's
 * templates/ folders, see lookups/files.ts) and render them with the same variables.
 */
export function includeEnv(deps: IncludeDeps): Record<string, unknown> {
  const env: Record<string, unknown> = { opts: { autoescape: false }, waterfall };
  const run = (tmpl: CompiledTemplate, ctxVars: Record<string, unknown>, frame: unknown, cb: (err: unknown, ctx: RenderContext, out?: string) => void): void => {
    const context = new RenderContext(deps.info, deps.globals);
    Object.assign(context.ctx, ctxVars);
    const fr = frame ? (frame as { push(isolate: boolean): { topLevel: boolean } }).push(true) : new njRuntime.Frame();
    fr.topLevel = true;
    tmpl.root(env, context, fr, deps.runtime, (err: unknown, out: string) => cb(err, context, out));
  };
  env.getTemplate = (name: unknown, _eager: unknown, _parent: unknown, ignoreMissing: unknown, cb: Callback): void => {
    const file = findInSearchPath(String(name), 'templates', deps.info);
    if (file === undefined) {
      if (ignoreMissing) return cb(null, { render: (_c: unknown, _f: unknown, done: Callback) => done(null, ''), getExported: (...a: unknown[]) => (a[a.length - 1] as Callback)(null, {}) });
      return cb(new TemplateError(`TemplateNotFound: ${String(name)}`, { hint: 'the template is searched in the templates/ folders of the role and the play' }));
    }
    let tmpl: CompiledTemplate;
    try {
      // like Jinja2 (keep_trailing_newline off): an included file loses one trailing newline
      const text = readFileSync(file, 'utf8');
      tmpl = deps.compile(text.endsWith('\n') ? text.slice(0, -1) : text);
    } catch (e) {
      return cb(e);
    }
    const loaded: LoadedTemplate = {
      render: (ctxVars, frame, done) => run(tmpl, ctxVars, frame, (err, _ctx, out) => done(err, out)),
      getExported: (a, b, c) => {
        const [ctxVars, frame, done] = typeof a === 'function' ? [{}, undefined, a as Callback] : [a as Record<string, unknown>, b, c!];
        run(tmpl, ctxVars, frame, (err, ctx) => done(err, err ? undefined : ctx.getExported()));
      },
    };
    cb(null, loaded);
  };
  return env;
}
