import { njCompiler, njTransformer } from './nunjucks-internals.js';
import { parseTemplate, type ParseOptions } from './parser.js';

/*
 * Nunjucks' compiler, with Python semantics for operators and truthiness: the generated code
 * calls `runtime.py*` helpers (see runtime.ts) instead of JS operators, so `[] or 'x'` is 'x',
 * `4 / 2` is 2.0, `[1] == [1]` is true, and `'a' + 1` fails like Python.
 */

type Frame = { lookup(name: string): string | undefined };
type AstNode = Record<string, any>;

const CONSTANTS: Record<string, string> = { True: 'true', False: 'false', None: 'null', true: 'true', false: 'false' };
const BINOPS: Record<string, string> = {
  Add: 'pyAdd', Sub: 'pySub', Mul: 'pyMul', Div: 'pyDiv', FloorDiv: 'pyFloorDiv', Mod: 'pyMod', Pow: 'pyPow', Concat: 'pyConcat', In: 'pyIn',
};

class JinjaCompiler extends njCompiler.Compiler {
  compileSymbol(node: AstNode, frame: Frame): void {
    const c = CONSTANTS[node.value];
    if (c !== undefined && !frame.lookup(node.value)) this._emit(c);
    else super.compileSymbol(node, frame);
  }

  emitCall(fn: string, nodes: AstNode[], frame: Frame): void {
    this._emit(`runtime.${fn}(`);
    nodes.forEach((n, i) => {
      if (i) this._emit(', ');
      this.compile(n, frame);
    });
    this._emit(')');
  }

  binop(node: AstNode, frame: Frame): void {
    this.emitCall(BINOPS[node.typename] as string, [node.left, node.right], frame);
  }

  compileAdd(n: AstNode, f: Frame): void { this.binop(n, f); }
  compileSub(n: AstNode, f: Frame): void { this.binop(n, f); }
  compileMul(n: AstNode, f: Frame): void { this.binop(n, f); }
  compileDiv(n: AstNode, f: Frame): void { this.binop(n, f); }
  compileFloorDiv(n: AstNode, f: Frame): void { this.binop(n, f); }
  compileMod(n: AstNode, f: Frame): void { this.binop(n, f); }
  compilePow(n: AstNode, f: Frame): void { this.binop(n, f); }
  compileConcat(n: AstNode, f: Frame): void { this.binop(n, f); }
  compileIn(n: AstNode, f: Frame): void { this.binop(n, f); }
  compileNeg(n: AstNode, f: Frame): void { this.emitCall('pyNeg', [n.target], f); }
  compilePos(n: AstNode, f: Frame): void { this.emitCall('pyPos', [n.target], f); }

  compileNot(node: AstNode, frame: Frame): void {
    this._emit('!');
    this.emitCall('truthy', [node.target], frame);
  }

  /** Python `or`/`and` return an operand, chosen by Python truthiness, short-circuiting. */
  shortCircuit(node: AstNode, frame: Frame, isOr: boolean): void {
    const t = this._tmpid();
    this._emit(`((${t}) => runtime.truthy(${t}) ? `);
    if (isOr) this._emit(`${t} : (`);
    else this._emit('(');
    this.compile(node.right, frame);
    this._emit(isOr ? '))(' : `) : ${t})(`);
    this.compile(node.left, frame);
    this._emit(')');
  }

  /** `(a, b)` is a Python tuple: an array here (nunjucks would emit JS's comma operator). */
  compileGroup(node: AstNode, frame: Frame): void {
    if (node.children.length !== 1 || node.trailingComma) this._compileAggregate(node, frame, 'runtime.tuple([', '])');
    else super.compileGroup(node, frame);
  }

  /**
   * A dict literal's keys are expressions evaluated like Jinja's (`{k: 1}` uses k's value) and
   * made Python keys; nunjucks would take a bare name as the key. Keyword arguments are names.
   */
  compileDict(node: AstNode, frame: Frame): void {
    if (node.typename === 'KeywordArgs') {
      super.compileDict(node, frame);
      return;
    }
    this._emit('runtime.pyDict([');
    node.children.forEach((pair: AstNode, i: number) => {
      if (i) this._emit(', ');
      this._emit('[');
      this.compile(pair.key, frame);
      this._emit(', ');
      this._compileExpression(pair.value, frame);
      this._emit(']');
    });
    this._emit('])');
  }

  compileOr(n: AstNode, f: Frame): void { this.shortCircuit(n, f, true); }
  compileAnd(n: AstNode, f: Frame): void { this.shortCircuit(n, f, false); }

  compileInlineIf(node: AstNode, frame: Frame): void {
    this._emit('(');
    this.emitCall('truthy', [node.cond], frame);
    this._emit(' ? ');
    this.compile(node.body, frame);
    this._emit(' : ');
    if (node.else_ !== null) this.compile(node.else_, frame);
    else this._emit('runtime.missingElse()');
    this._emit(')');
  }

  compileCompare(node: AstNode, frame: Frame): void {
    this._emit('runtime.pyCompare([');
    this.compile(node.expr, frame);
    for (const op of node.ops) {
      this._emit(`, "${op.type}", `);
      this.compile(op.expr, frame);
    }
    this._emit('])');
  }

  /** `x is name(args)`: the test name may be a symbol, a literal (none/true/false) or a call. */
  compileIs(node: AstNode, frame: Frame): void {
    const right = node.right;
    const name = right.name ? right.name.value : right.value;
    this._emit(`runtime.pyTest(env, ${JSON.stringify(String(name))}, [`);
    this.compile(node.left, frame);
    if (right.args) {
      for (const a of right.args.children) {
        this._emit(', ');
        this.compile(a, frame);
      }
    }
    this._emit('])');
  }

  compileFilter(node: AstNode, frame: Frame): void {
    this._emit(`runtime.pyFilter(env, ${JSON.stringify(node.name.value)}, context, [`);
    node.args.children.forEach((a: AstNode, i: number) => {
      if (i) this._emit(', ');
      this.compile(a, frame);
    });
    this._emit('])');
  }

  compileIf(node: AstNode, frame: Frame): void {
    this._emit('if(');
    this.emitCall('truthy', [node.cond], frame);
    this._emitLine(') {');
    this._withScopedSyntax(() => this.compile(node.body, frame));
    if (node.else_) {
      this._emitLine('}\nelse {');
      this._withScopedSyntax(() => this.compile(node.else_, frame));
    }
    this._emitLine('}');
  }
}

/** The compiled template: nunjucks' `root` render function and its blocks. */
export interface CompiledTemplate {
  readonly root: (...args: unknown[]) => void;
  /** The whole template is one string-type filter call: ansible skips literal_eval then. */
  readonly nativeText: boolean;
}

/** ansible's STRING_TYPE_FILTERS: their result is NativeJinjaText, never converted to data. */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

function isSingleStringFilter(ast: AstNode): boolean {
  const out = ast.children?.length === 1 ? ast.children[0] : undefined;
  const node = out?.typename === 'Output' && out.children.length === 1 ? out.children[0] : undefined;
  return node?.typename === 'Filter' && STRING_TYPE_FILTERS.has(node.name.value);
}

export function compileTemplate(src: string, opts: ParseOptions): CompiledTemplate {
  const ast = njTransformer.transform(parseTemplate(src, opts), [], undefined) as AstNode;
  const c = new JinjaCompiler(undefined, false);
  c.compile(ast);
  const props = new Function(c.getCode())() as { root: CompiledTemplate['root'] };
  return { root: props.root, nativeText: isSingleStringFilter(ast) };
}
