import { mergeHash } from '../python/merge-hash.js';
import { TemplateError, TsplayError, UndefinedVariableError } from '../errors/index.js';
import type { SourceLoc } from '../types/source.js';
import type { LayerName, VarLayerEntry } from './layers.js';

/** The slice of the Templar the resolver needs (engine/template implements it). */
export interface ValueRenderer {
  template(value: unknown, vars: LazyVars, opts?: { where?: SourceLoc }): unknown;
  /** Python's str() of a raw value, for error messages. */
  display?(value: unknown): string;
}

function isUndefinedLike(e: unknown): e is TemplateError {
  if (e instanceof UndefinedVariableError) return true;
  return e instanceof TemplateError && /^'[^']*' has no attribute '|object has no element /.test(e.message);
}

/**
 * Like ansible's Templar: an undefined error inside a variable's value comes back as
 * "VALUE: msg. msg", once more per level of indirection (a: "{{ b }}", b: "{{ nope }}").
 */
function wrapUndefined(e: TemplateError, shown: string, where?: SourceLoc): UndefinedVariableError {
  const err = new UndefinedVariableError(e instanceof UndefinedVariableError ? e.variable : '', { where, cause: e });
  err.message = `${shown}: ${e.message}. ${e.message}`;
  return err;
}

export interface Provenance {
  readonly layer: LayerName;
  readonly source: string;
  readonly value: unknown;
}

function isPlainMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

export { mergeHash };

/**
 * Variables of one host in one context (a task, a play), looked up lazily through the layers
 * (highest first) and templated on first access, like ansible's lazy HostVars. A variable
 * whose value refers back to itself fails with the chain instead of recursing forever.
 */
export class LazyVars {
  readonly #layers: readonly VarLayerEntry[];
  readonly #renderer: ValueRenderer;
  readonly #cache = new Map<string, unknown>();
  readonly #resolving: string[] = [];
  readonly #where?: SourceLoc;
  readonly #merge: boolean;

  /** `merge`: ansible's hash_behaviour=merge, a mapping set in several layers is merged deeply. */
  constructor(layers: readonly VarLayerEntry[], renderer: ValueRenderer, where?: SourceLoc, merge = false) {
    this.#layers = layers;
    this.#renderer = renderer;
    this.#where = where;
    this.#merge = merge;
  }

  /** A copy with more layers on top (loop items, a register result for changed_when). */
  with(extra: readonly VarLayerEntry[]): LazyVars {
    return new LazyVars([...this.#layers, ...extra], this.#renderer, this.#where, this.#merge);
  }

  has(name: string): boolean {
    return this.#find(name) !== undefined;
  }

  #find(name: string): VarLayerEntry | undefined {
    for (let i = this.#layers.length - 1; i >= 0; i--) {
      const l = this.#layers[i]!;
      if (Object.prototype.hasOwnProperty.call(l.vars, name)) return l;
    }
    return undefined;
  }

  get(name: string): unknown {
    if (this.#cache.has(name)) return this.#cache.get(name);
    const layer = this.#find(name);
    if (layer === undefined) return undefined;
    const raw = layer.vars[name];
    if (layer.final) return raw;
    if (this.#resolving.includes(name)) {
      const chain = [...this.#resolving.slice(this.#resolving.indexOf(name)), name].join(' -> ');
      throw new TemplateError(`recursive loop detected in template: ${chain}`, {
        where: this.#where,
        hint: `the variable '${name}' refers to itself through ${chain}`,
      });
    }
    this.#resolving.push(name);
    try {
      const value = this.#merge ? this.#merged(name) : this.#renderer.template(raw, this, { where: this.#where });
      this.#cache.set(name, value);
      return value;
    } catch (e) {
      if (isUndefinedLike(e)) throw wrapUndefined(e, this.#renderer.display?.(raw) ?? String(raw), this.#where);
      if (e instanceof TsplayError) throw e;
      throw new TemplateError(`error while templating variable '${name}': ${(e as Error).message}`, { where: this.#where, cause: e });
    } finally {
      this.#resolving.pop();
    }
  }

  /**
   * Like ansible's HostVarsVars (templar.template(..., fail_on_undefined=False)): a value that
   * needs an undefined variable comes back untemplated, string by string, instead of failing.
   */
  getLenient(name: string): unknown {
    try {
      return this.get(name);
    } catch (e) {
      if (!(e instanceof UndefinedVariableError)) throw e;
      return this.#lenient(this.raw(name));
    }
  }

  #lenient(v: unknown): unknown {
    if (typeof v === 'string') {
      try {
        return this.#renderer.template(v, this, { where: this.#where });
      } catch (e) {
        if (isUndefinedLike(e)) return v;
        throw e;
      }
    }
    if (Array.isArray(v)) return v.map((x) => this.#lenient(x));
    if (isPlainMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.#lenient(x)]));
    return v;
  }

  /** hash_behaviour=merge: the layers' values of `name`, lowest first, deep-merged while they are mappings. */
  #merged(name: string): unknown {
    let out: unknown;
    for (const l of this.#layers) {
      if (!Object.prototype.hasOwnProperty.call(l.vars, name)) continue;
      const v = l.final ? l.vars[name] : this.#renderer.template(l.vars[name], this, { where: this.#where });
      out = isPlainMapping(out) && isPlainMapping(v) ? mergeHash(out, v) : v;
    }
    return out;
  }

  /** The raw (untemplated) value, for set_fact-style copies that keep laziness. */
  raw(name: string): unknown {
    return this.#find(name)?.vars[name];
  }

  names(): Set<string> {
    const out = new Set<string>();
    for (const l of this.#layers) for (const k of Object.keys(l.vars)) out.add(k);
    return out;
  }

  /** Every layer that sets `name`, lowest first; the last one wins. */
  explain(name: string): Provenance[] {
    return this.#layers
      .filter((l) => Object.prototype.hasOwnProperty.call(l.vars, name))
      .map((l) => ({ layer: l.layer, source: l.source, value: l.vars[name] }));
  }

  /** Everything, templated: for `vars` dumps and --host output. Undefined references stay errors. */
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const n of this.names()) out[n] = this.get(n);
    return out;
  }
}

/**
 * A read-only object view over LazyVars for templates (`vars['x']`, `hostvars[h].x`): property
 * reads resolve lazily, `in` and key listing work.
 */
export function varsObjectView(source: () => LazyVars, hidden: ReadonlySet<string> = new Set(), lenient = false): Record<string, unknown> {
  const has = (key: string | symbol): key is string => typeof key === 'string' && !hidden.has(key) && source().has(key);
  const read = (key: string): unknown => (lenient ? source().getLenient(key) : source().get(key));
  return new Proxy({} as Record<string, unknown>, {
    get: (_t, key) => (has(key) ? read(key) : undefined),
    has: (_t, key) => has(key),
    ownKeys: () => [...source().names()].filter((k) => !hidden.has(k)),
    getOwnPropertyDescriptor: (_t, key) =>
      has(key)
        ? { enumerable: true, configurable: true, writable: false, value: read(key) }
        : undefined,
  });
}
