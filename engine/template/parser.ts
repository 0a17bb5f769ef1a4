import { njParser, njNodes, njLexer, type AnyCtor } from './nunjucks-internals.js';
import { normalizeNewlines, patchStrings, strayCommentEnds, trimAfterComments } from './lexer-patches.js';
import { rewriteLinePrefixes } from './overrides.js';
import type { ParseOptions } from './parse-options.js';

/* Nunjucks' parser with the Jinja2 syntax ansible content relies on and nunjucks lacks. */

const { Parser } = njParser;
const N = njNodes as Record<string, AnyCtor>;
type Node = { lineno: number; colno: number };

/** Name of the internal global that implements slices (x[1:], x[::-1]). */
export const SLICE_FN = '__tsplay_slice';
/** Internal globals that mark `*args` / `**kwargs` call arguments for the runtime to spread. */
export const STAR_FN = '__tsplay_star';
export const DSTAR_FN = '__tsplay_dstar';

/** Name of the internal global behind Jinja2's `{% set ns.attr = value %}` (namespace()). */
export const NS_SET_FN = '__tsplay_ns_set';

/** Tokens that start a test's single unparenthesized argument (Jinja's parse_test). */
const TEST_ARG_START = new Set(['symbol', 'string', 'int', 'float', 'boolean', 'none', 'left-bracket', 'left-curly']);
const NOT_TEST_ARG = new Set(['else', 'or', 'and', 'if', 'is']);
const AGGREGATES: Record<string, string> = { 'left-paren': 'Group', 'left-bracket': 'Array', 'left-curly': 'Dict' };
const CLOSERS = new Set(['right-paren', 'right-bracket', 'right-curly']);

class JinjaParser extends Parser {
  /**
   * Jinja2's `{% set ns.attr = value %}` assigns into a namespace() object, the one way a loop
   * body can change something outside it. Nunjucks only sets names: the assignment becomes a
   * call that writes the attribute and outputs nothing.
   */
  parseSet(): Node {
    const node = super.parseSet() as Node & { targets: (Node & { typename?: string; target?: Node; val?: Node })[]; value: Node | null };
    const t = node.targets[0];
    if (node.targets.length !== 1 || t?.typename !== 'LookupVal' || node.value === null) return node;
    const args = new N.NodeList(node.lineno, node.colno, [t.target, t.val, node.value]);
    const call = new N.FunCall(node.lineno, node.colno, new N.Symbol(node.lineno, node.colno, NS_SET_FN), args);
    return new N.Output(node.lineno, node.colno, [call]);
  }

  /**
   * Like Jinja's parse_filter_expr, `is` tests sit with filters after a primary, not above
   * comparisons as in nunjucks: `x is string | ternary(a, b)` filters the test's result and
   * `a == b is defined` compares a with the test.
   */
  parseIs(): Node {
    return this.parseCompare();
  }

  parseFilter(start: Node): Node {
    let node = start;
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === 'pipe') node = super.parseFilter(node);
      else if (tok.type === 'symbol' && tok.value === 'is') node = this.parseTest(node);
      else break;
    }
    return node;
  }

  /**
   * Jinja's tests: `x is name`, `x is name(args)`, `x is name arg` (one argument without
   * parentheses: `is divisibleby 3`, `is sameas true`), `x is in list`, dotted names.
   */
  parseTest(left: Node): Node {
    this.nextToken();
    const not = this.skipSymbol('not');
    const tok = this.nextToken();
    let name = String(tok.value);
    while (tok.type === 'symbol' && this.skipValue('operator', '.')) name += '.' + this.expect('symbol').value;
    const sym = new N.Symbol(tok.lineno, tok.colno, name);
    let right: Node = sym;
    const next = this.peekToken();
    if (next?.type === 'left-paren') right = new N.FunCall(next.lineno, next.colno, sym, this.parseSignature());
    else if (next && TEST_ARG_START.has(next.type) && !(next.type === 'symbol' && NOT_TEST_ARG.has(next.value))) {
      const arg = this.parsePrimary();
      right = new N.FunCall(next.lineno, next.colno, sym, new N.NodeList(next.lineno, next.colno, [arg]));
    }
    const is = new N.Is(left.lineno, left.colno, left, right);
    return not ? new N.Not(left.lineno, left.colno, is) : is;
  }

  /** Jinja's call signature, plus `*args` and `**kwargs` (spread by the runtime's call). */
  parseSignature(tolerant?: boolean, noParens?: boolean): unknown {
    let tok = this.peekToken();
    if (!noParens && tok.type !== 'left-paren') {
      if (tolerant) return null;
      this.fail('expected arguments', tok.lineno, tok.colno);
    }
    if (tok.type === 'left-paren') tok = this.nextToken();
    const args = new N.NodeList(tok.lineno, tok.colno);
    const kwargs = new N.KeywordArgs(tok.lineno, tok.colno);
    for (let first = true; ; first = false) {
      tok = this.peekToken();
      if (!noParens && tok.type === 'right-paren') { this.nextToken(); break; }
      if (noParens && tok.type === 'block-end') break;
      if (!first && !this.skip('comma')) this.fail('parseSignature: expected comma after expression', tok.lineno, tok.colno);
      const star = this.peekToken();
      if (star.type === 'operator' && (star.value === '*' || star.value === '**')) {
        this.nextToken();
        const fn = star.value === '*' ? STAR_FN : DSTAR_FN;
        args.addChild(new N.FunCall(star.lineno, star.colno, new N.Symbol(star.lineno, star.colno, fn), new N.NodeList(star.lineno, star.colno, [this.parseExpression()])));
        continue;
      }
      const arg = this.parseExpression();
      if (this.skipValue('operator', '=')) kwargs.addChild(new N.Pair(arg.lineno, arg.colno, arg, this.parseExpression()));
      else args.addChild(arg);
    }
    if (kwargs.children.length) args.addChild(kwargs);
    return args;
  }

  /**
   * Jinja's parse_condexpr: the else branch is itself a conditional expression, so
   * `a if c else b if d else e` chains (nunjucks stops after one `else`).
   */
  parseInlineIf(): Node {
    let node = this.parseOr() as Node;
    while (this.skipSymbol('if')) {
      const cond = this.parseOr();
      const elseNode = this.skipSymbol('else') ? this.parseInlineIf() : null;
      const ifNode = new N.InlineIf(node.lineno, node.colno) as Node & Record<string, unknown>;
      Object.assign(ifNode, { body: node, cond, else_: elseNode });
      node = ifNode;
    }
    return node;
  }

  /**
   * Lists, dicts and parenthesized tuples as Jinja parses them: a trailing comma is allowed,
   * `(a,)` and `()` are tuples while `(a)` is just `a`, and a dict key is any expression
   * (`{item.key: 1}`; the compiler evaluates it, so `{k: 1}` uses k's value like Jinja).
   */
  parseAggregate(): Node | null {
    const open = this.nextToken();
    const kind = AGGREGATES[open.type];
    if (!kind) return null;
    const node = new N[kind](open.lineno, open.colno) as Node & { children: Node[]; addChild(n: Node): void; trailingComma?: boolean };
    for (;;) {
      const tok = this.peekToken();
      if (CLOSERS.has(tok.type)) {
        this.nextToken();
        break;
      }
      if (node.children.length > 0) {
        if (!this.skip('comma')) this.fail('parseAggregate: expected comma after expression', tok.lineno, tok.colno);
        node.trailingComma = true;
        if (CLOSERS.has(this.peekToken().type)) continue;
      }
      node.trailingComma = false;
      if (kind !== 'Dict') {
        node.addChild(this.parseExpression());
        continue;
      }
      const key = this.parseExpression();
      if (!this.skip('colon')) this.fail('parseAggregate: expected colon after dict key', tok.lineno, tok.colno);
      node.addChild(new N.Pair(key.lineno, key.colno, key, this.parseExpression()));
    }
    return node;
  }

  /**
   * Jinja's `{% include name [ignore missing] [with context] %}`: `with context` is what an
   * include does anyway; `without context` (only globals visible) is refused, not ignored.
   */
  parseInclude(): Node {
    const tag = this.peekToken();
    if (!this.skipSymbol('include')) this.fail('parseInclude: expected include');
    const node = new N.Include(tag.lineno, tag.colno) as Node & { template: unknown; ignoreMissing?: boolean };
    node.template = this.parseExpression();
    if (this.skipSymbol('ignore') && this.skipSymbol('missing')) node.ignoreMissing = true;
    const ctx = this.peekToken();
    if (this.skipSymbol('with') && !this.skipSymbol('context')) this.fail('expected context after with', ctx.lineno, ctx.colno);
    if (this.skipSymbol('without')) this.fail('{% include ... without context %} is not supported by tsplay', ctx.lineno, ctx.colno);
    this.advanceAfterBlockEnd(tag.value);
    return node;
  }

  /** Adds `x[a:b:c]` slices and Jinja's integer attributes (`item.0.name`). */
  parsePostfix(start: Node): Node {
    let node = start;
    for (let tok = this.peekToken(); tok; tok = this.peekToken()) {
      if (tok.type === 'left-bracket') node = this.parseSubscript(node);
      else if (tok.type === 'operator' && tok.value === '.') node = this.parseDot(node);
      else if (tok.type === 'left-paren') node = new N.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      else break;
    }
    return node;
  }

  parseSubscript(target: Node): Node {
    const open = this.nextToken();
    const parts: (Node | null)[] = [null, null, null];
    let part = 0;
    let sliced = false;
    for (;;) {
      const t = this.peekToken();
      if (t.type === 'right-bracket') break;
      if (t.type === 'colon') {
        this.nextToken();
        sliced = true;
        if (++part > 2) this.fail('invalid slice', t.lineno, t.colno);
        continue;
      }
      parts[part] = this.parseExpression();
    }
    this.nextToken();
    if (!sliced) {
      if (!parts[0]) this.fail('expected an index', open.lineno, open.colno);
      return new N.LookupVal(open.lineno, open.colno, target, parts[0]);
    }
    const lit = (p: Node | null) => p ?? new N.Literal(open.lineno, open.colno, null);
    const args = new N.NodeList(open.lineno, open.colno, [target, lit(parts[0]), lit(parts[1]), lit(parts[2])]);
    return new N.FunCall(open.lineno, open.colno, new N.Symbol(open.lineno, open.colno, SLICE_FN), args);
  }

  /** `a.b`, and `a.0` / `a.0.b`, which nunjucks' lexer reads as the float "0." */
  parseDot(target: Node): Node {
    const dot = this.nextToken();
    const val = this.nextToken();
    const lookup = (key: unknown, on: Node) => new N.LookupVal(dot.lineno, dot.colno, on, new N.Literal(val.lineno, val.colno, key));
    // like Jinja: after a dot, none/null/true/false are attribute names (foo.null, foo.true)
    if (val.type === 'symbol' || val.type === 'none' || val.type === 'boolean') return lookup(String(val.value), target);
    if (val.type === 'int') return lookup(Number(val.value), target);
    if (val.type === 'float') {
      const [a, b] = String(val.value).split('.');
      let node = lookup(Number(a), target);
      if (b) node = lookup(Number(b), node);
      else {
        const name = this.nextToken();
        if (name.type === 'symbol') node = lookup(name.value, node);
        else if (name.type === 'int') node = lookup(Number(name.value), node);
        else this.fail('expected name as lookup value, got ' + name.value, name.lineno, name.colno);
      }
      return node;
    }
    return this.fail('expected name as lookup value, got ' + val.value, val.lineno, val.colno);
  }
}

export type { ParseOptions, Delimiters } from './parse-options.js';

export function parseTemplate(src: string, opts: ParseOptions): unknown {
  const text = opts.lineStatementPrefix !== undefined || opts.lineCommentPrefix !== undefined ? rewriteLinePrefixes(src, opts) : src;
  const tokens = njLexer.lex(text, { trimBlocks: opts.trimBlocks, lstripBlocks: opts.lstripBlocks, tags: opts.delimiters });
  patchStrings(tokens, opts.escapeBackslashes);
  strayCommentEnds(tokens, opts.delimiters?.commentEnd ?? '#}');
  if (opts.trimBlocks) trimAfterComments(tokens);
  if (opts.newlineSequence !== undefined && opts.newlineSequence !== '\n') normalizeNewlines(tokens, opts.newlineSequence);
  const p = new JinjaParser(tokens);
  return p.parseAsRoot();
}
