import type { ModuleDef } from '../types/module.js';

type Spec = Readonly<Record<string, unknown>>;

const BOOL_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't', '1.0']);
const BOOL_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f', '0.0']);

/** The Python class ansible names in messages; values read from YAML are ansible's YAML objects. */
function pyType(v: unknown): string {
  if (typeof v === 'string') return 'ansible.parsing.yaml.objects.AnsibleUnicode';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'ansible.parsing.yaml.objects.AnsibleSequence';
  if (v === null || v === undefined) return 'NoneType';
  return 'ansible.parsing.yaml.objects.AnsibleMapping';
}

const ARTICLE: Readonly<Record<string, string>> = { int: 'an int', list: 'a list', dict: 'a dict', bool: 'a bool', float: 'a float' };

/** Whether ansible's check_type_<type> would accept the value (converting as it does). */
function convertible(type: string, v: unknown): boolean {
  switch (type) {
    case 'str': case 'path': case 'raw': case 'jsonarg': case 'json':
      return true;
    case 'list':
      return Array.isArray(v) || typeof v === 'string' || typeof v === 'number';
    case 'dict':
      return (v !== null && typeof v === 'object' && !Array.isArray(v)) || (typeof v === 'string' && (v.trim().startsWith('{') || v.includes('=')));
    case 'bool':
      return typeof v === 'boolean' || BOOL_TRUE.has(String(v).toLowerCase()) || BOOL_FALSE.has(String(v).toLowerCase());
    case 'int':
      return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^[-+]?\d+$/.test(v.trim()));
    case 'float':
      return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
    default:
      return true;
  }
}

interface Found {
  readonly errors: string[];
  /** Nested parameters no spec knows, as a.b, with the names their spec supports. */
  readonly unsupported: { name: string; supported: string[] }[];
}

/**
 * ansible's ArgumentSpecValidator, the checks roles use, in its order: required, then types,
 * then choices, then each nested spec the same way; unknown nested parameters come last.
 */
function validate(spec: Spec, params: Readonly<Record<string, unknown>>, context: readonly string[], out: Found): void {
  const where = context.length > 0 ? ` found in ${context.join(' -> ')}` : '';
  const missing = Object.entries(spec).filter(([k, o]) => (o as Spec | null)?.required === true && params[k] === undefined).map(([k]) => k);
  if (missing.length > 0) out.errors.push(`missing required arguments: ${missing.sort().join(', ')}${where}`);
  const present = Object.entries(spec).filter(([k]) => params[k] !== undefined && params[k] !== null);
  const typed = present.filter(([k, raw]) => {
    const type = String((raw as Spec | null)?.type ?? 'str');
    if (convertible(type, params[k])) return true;
    const cls = `<class '${pyType(params[k])}'>`;
    out.errors.push(`argument '${k}' is of type ${cls}${context.length > 0 ? ` found in '${context.join(' -> ')}'.` : ''} and we were unable to convert to ${type}: ${cls} cannot be converted to ${ARTICLE[type] ?? `a ${type}`}`);
    return false;
  });
  for (const [k, raw] of typed) {
    const o = (raw ?? {}) as Spec;
    const choices = Array.isArray(o.choices) ? o.choices.map(String) : undefined;
    const v = params[k];
    const values = Array.isArray(v) ? v.map(String) : [String(v)];
    if (choices !== undefined && !values.every((x) => choices.includes(x))) out.errors.push(`value of ${k} must be one of: ${choices.join(', ')}, got: ${values.join(', ')}${where}`);
  }
  for (const [k, raw] of typed) nestedChecks(k, (raw ?? {}) as Spec, params[k], context, out);
}

function nestedChecks(k: string, o: Spec, v: unknown, context: readonly string[], out: Found): void {
  const nested = o.options as Spec | undefined;
  if (nested === undefined) return;
  const items = String(o.type ?? 'str') === 'list' && Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : [];
  for (const item of items) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    const sub = item as Record<string, unknown>;
    for (const name of Object.keys(sub)) if (!(name in nested)) out.unsupported.push({ name: [...context, k, name].join('.'), supported: Object.keys(nested).sort() });
    validate(nested, sub, [...context, k], out);
  }
}

/**
 * validate_argument_spec, which ansible runs on the controller (its action plugin): the spec's
 * keys are read from the task's variables, the role's params override them, and the run of a
 * role with an argument spec starts with this check (model/roles/arg-spec.ts).
 */
export const validate_argument_spec: ModuleDef = {
  name: 'validate_argument_spec',
  controllerOnly: true,
  supportsCheck: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['argument_spec'],
    properties: { argument_spec: { type: 'object' }, provided_arguments: { type: 'object' }, validate_args_context: { type: 'object' } },
  },
  async run(ctx) {
    const spec = ctx.args.argument_spec as Spec;
    const fromVars = Object.fromEntries(Object.keys(spec).flatMap((k) => (ctx.vars[k] === undefined ? [] : [[k, ctx.vars[k]]])));
    const params = { ...fromVars, ...((ctx.args.provided_arguments ?? {}) as Record<string, unknown>) };
    const found: Found = { errors: [], unsupported: [] };
    validate(spec, params, [], found);
    const errors = [...found.errors];
    if (found.unsupported.length > 0) {
      const last = found.unsupported[found.unsupported.length - 1]!;
      errors.push(`${found.unsupported.map((u) => u.name).sort().join(', ')}. Supported parameters include: ${last.supported.join(', ')}.`);
    }
    if (errors.length > 0) {
      return { changed: false, failed: true, msg: `Validation of arguments failed:\n${errors.join('\n')}`, argument_errors: errors, argument_spec_data: spec, validate_args_context: ctx.args.validate_args_context ?? {} };
    }
    return { changed: false, msg: 'The arg spec validation passed', validate_args_context: ctx.args.validate_args_context ?? {} };
  },
};
