/**
 * Task results as ansible's callbacks print them: internal keys (_ansible*, tsplay's effects)
 * removed, keys sorted, and Python json.dumps separators (", " and ": ").
 */
const HIDDEN = new Set(['effects', 'invocation', 'diff']);

export interface VisibleOptions {
  /** The text callback hides `changed` for debug and `failed` on failure lines. */
  readonly drop?: readonly string[];
}

export function visibleResult(result: Readonly<Record<string, unknown>>, opts: VisibleOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) {
    if (k.startsWith('_ansible') || HIDDEN.has(k) || opts.drop?.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Python's json.dumps(sort_keys=True, ensure_ascii=False) with or without indent. */
export function pyJson(value: unknown, indent?: number, depth = 0): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  const pad = indent === undefined ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
  const end = indent === undefined ? '' : `\n${' '.repeat(indent * depth)}`;
  const sep = indent === undefined ? ', ' : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => `${pad}${pyJson(v, indent, depth + 1)}`).join(sep)}${end}]`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value as object).sort();
    if (keys.length === 0) return '{}';
    const obj = value as Record<string, unknown>;
    return `{${keys.map((k) => `${pad}${JSON.stringify(k)}: ${pyJson(obj[k], indent, depth + 1)}`).join(sep)}${end}}`;
  }
  return JSON.stringify(String(value));
}

export function resultJson(result: Readonly<Record<string, unknown>>, indent?: number, opts: VisibleOptions = {}): string {
  return pyJson(visibleResult(result, opts), indent);
}

/** The module a result came from: a templated action name ("{{ mod }}") resolves per host. */
export function actionOf(e: { readonly task: { readonly action: string }; readonly result: Readonly<Record<string, unknown>> }): string {
  const resolved = e.result._ansible_resolved_action;
  return typeof resolved === 'string' ? resolved : e.task.action;
}
