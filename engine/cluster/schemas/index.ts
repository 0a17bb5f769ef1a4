import { createRequire } from 'node:module';
import type { Ajv as AjvType, ErrorObject, ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import type { Schema } from './dsl.js';
import { KUBEADM_SCHEMAS } from './kubeadm.js';
import { KUBELET_SCHEMAS } from './kubelet.js';
import { KUBEPROXY_SCHEMAS } from './kubeproxy.js';

/** One problem in a rendered configuration: document index, its kind, the field path and what is wrong. */
export interface ConfigProblem {
  readonly doc: number;
  readonly kind: string;
  readonly path: string;
  readonly message: string;
}

const requireCjs = createRequire(import.meta.url);

const ALL: readonly Schema[] = [...KUBEADM_SCHEMAS, ...KUBELET_SCHEMAS, ...KUBEPROXY_SCHEMAS];

function keyOf(s: Schema): string {
  const p = s.properties as Record<string, { const: string }>;
  return `${p.apiVersion.const}/${p.kind.const}`;
}

/** The strict schemas by "apiVersion/kind", compiled once per checker. */
export class KubeConfigChecker {
  readonly #validators = new Map<string, ValidateFunction>();

  constructor() {
    // ajv is loaded here, by kube_config_check, not at every start (issue 17)
    const { Ajv } = requireCjs('ajv') as { Ajv: new (o: object) => AjvType };
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const s of ALL) this.#validators.set(keyOf(s), ajv.compile(s));
  }

  /** Every "apiVersion/kind" a schema exists for. */
  get kinds(): string[] {
    return [...this.#validators.keys()];
  }

  /** Checks parsed documents; an apiVersion/kind without a schema is itself a problem (kubeadm would reject it too). */
  check(docs: readonly unknown[]): ConfigProblem[] {
    return docs.flatMap((doc, i) => this.#checkOne(doc, i));
  }

  /** Parses a multi-document YAML text first (a syntax error is a problem of document 0). */
  checkText(text: string): ConfigProblem[] {
    const parsed = parseAllDocuments(text);
    const docs: unknown[] = [];
    for (const d of Array.isArray(parsed) ? parsed : [parsed]) {
      if (d.errors.length > 0) return [{ doc: docs.length, kind: '?', path: '', message: `not valid YAML: ${d.errors[0]!.message}` }];
      const value: unknown = d.toJS();
      if (value !== null && value !== undefined) docs.push(value);
    }
    return this.check(docs);
  }

  #checkOne(doc: unknown, i: number): ConfigProblem[] {
    const d = (doc ?? {}) as Record<string, unknown>;
    const key = `${String(d.apiVersion)}/${String(d.kind)}`;
    const validate = this.#validators.get(key);
    if (!validate) return [{ doc: i, kind: key, path: '', message: `no known configuration kind ${key} (known: ${this.kinds.join(', ')})` }];
    if (validate(doc)) return [];
    return (validate.errors ?? []).map((e) => ({ doc: i, kind: String(d.kind), path: e.instancePath || '/', message: describe(e) }));
  }
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown field "${String(e.params.additionalProperty)}" (strict decoding rejects it)`;
  if (e.keyword === 'enum') return `${e.message}: ${JSON.stringify(e.params.allowedValues)}`;
  return e.message ?? e.keyword;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `document ${p.doc + 1} (${p.kind}) ${p.path}: ${p.message}`).join('\n');
}
