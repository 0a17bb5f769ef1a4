import { createRequire } from 'node:module';

/**
 * Typed handles on the nunjucks internals tsplay builds on: the lexer, parser, compiler and
 * runtime. Jinja2 semantics (Python operators, slices, `item.0`, undefined handling) need
 * subclasses of the parser and compiler; nunjucks does not expose hooks for them.
 */
const requireCjs = createRequire(import.meta.url);

export type AnyCtor = new (...args: any[]) => any;

export interface NjToken {
  type: string;
  value: any;
  lineno: number;
  colno: number;
}

export interface NjTokenizer {
  nextToken(): NjToken | null;
  _parseString(delimiter: string): string;
  forward(): void;
  current(): string;
  isFinished(): boolean;
  index: number;
  str: string;
  in_code: boolean;
  lineno: number;
  colno: number;
}

export interface NjLexerModule {
  lex(src: string, opts: Record<string, unknown>): NjTokenizer;
}

export const njLexer = requireCjs('nunjucks/src/lexer.js') as NjLexerModule;
export const njParser = requireCjs('nunjucks/src/parser.js') as { Parser: AnyCtor };
export const njCompiler = requireCjs('nunjucks/src/compiler.js') as { Compiler: AnyCtor };
export const njTransformer = requireCjs('nunjucks/src/transformer.js') as {
  transform(ast: unknown, asyncFilters: string[], name?: string): unknown;
};
export const njNodes = requireCjs('nunjucks/src/nodes.js') as Record<string, AnyCtor>;
export const njRuntime = requireCjs('nunjucks/src/runtime.js') as Record<string, any> & {
  Frame: AnyCtor;
  SafeString: AnyCtor;
};
export const njLib = requireCjs('nunjucks/src/lib.js') as { TemplateError: AnyCtor };
