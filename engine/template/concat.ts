import { literalEval } from '../python/literal-eval.js';

/**
 * ansible's ansible_eval_concat (jinja2_native off, convert_data on): output that looks like a
 * dict, a list or a bool becomes that value when it parses as a Python literal.
 */
export function convertData(out: string): unknown {
  if (out.startsWith('{') || out.startsWith('[') || out === 'True' || out === 'False') {
    const r = literalEval(out, { jsonNames: true });
    if (r.ok) return r.value;
  }
  return out;
}
