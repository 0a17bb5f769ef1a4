// nunjucks/src/* are CommonJS without type declarations (nunjucks-src.d.ts): imported as plain
// modules so the CLI bundle carries them and the code cache covers them (start-up, issue 17)
import lexer from 'nunjucks/src/lexer.js';
import parser from 'nunjucks/src/parser.js';
import compiler from 'nunjucks/src/compiler.js';
import transformer from 'nunjucks/src/transformer.js';
import nodes from 'nunjucks/src/nodes.js';
import runtime from 'nunjucks/src/runtime.js';
import lib from 'nunjucks/src/lib.js';

/**
 * Typed handles on the nunjucks internals tsplay builds on: the lexer, parser, compiler and
 * runtime. Jinja2 semantics (Python operators, slices, `item.0`, undefined handling) need
 * subclasses of the parser and compiler; nunjucks does not expose hooks for them.
 */

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

export const njLexer = lexer as NjLexerModule;
export const njParser = parser as { Parser: AnyCtor };
export const njCompiler = compiler as { Compiler: AnyCtor };
export const njTransformer = transformer as {
  transform(ast: unknown, asyncFilters: string[], name?: string): unknown;
};
export const njNodes = nodes as Record<string, AnyCtor>;
export const njRuntime = runtime as Record<string, any> & {
  Frame: AnyCtor;
  SafeString: AnyCtor;
};
export const njLib = lib as { TemplateError: AnyCtor };
