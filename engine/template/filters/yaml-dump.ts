import { floatRepr } from '../python/repr.js';
import { PyFloat, isMapping, mappingKeys, mappingGet } from '../python/values.js';

/*
 * A PyYAML-compatible dump for to_yaml / to_nice_yaml: sorted keys, indentless sequences,
 * "-   " item padding at indent 4, single quotes when a plain scalar would change meaning,
 * flow style for leaf collections when flow is null (ansible's to_yaml default).
 * Not emulated: PyYAML folds long scalars at 80 columns.
 */

export interface DumpOptions {
  readonly indent: number;
  /** null: leaf collections in flow style (to_yaml); false: block everywhere (to_nice_yaml). */
  readonly flow: boolean | null;
}

const IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  /^(?:<<|=)$/,
];

function plainAllowed(s: string, inFlow: boolean): boolean {
  if (s === '' || IMPLICIT.some((r) => r.test(s))) return false;
  if (/^\s|\s$/.test(s) || /[\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s)) return false;
  if (/^[#,[\]{}&*!|>'"%@`]/.test(s) || /^[-?:](\s|$)/.test(s)) return false;
  if (/: |:$| #/.test(s)) return false;
  if (inFlow && /[,?[\]{}]/.test(s)) return false;
  return !(inFlow && /:/.test(s));
}

function singleQuoted(s: string, indent: string): string {
  const body = s.replace(/'/g, "''").replace(/\n+/g, (br) => '\n'.repeat(br.length + 1) + indent);
  return `'${body}'`;
}

function scalar(v: unknown, inFlow: boolean, indent: string): string {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (v instanceof PyFloat) return yamlFloat(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : yamlFloat(v);
  const s = String(v);
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s)) return JSON.stringify(s);
  return plainAllowed(s, inFlow) ? s : singleQuoted(s, indent);
}

function yamlFloat(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  const r = floatRepr(n);
  return r.includes('e') && !r.includes('.') ? r.replace('e', '.0e') : r;
}

const isColl = (v: unknown) => Array.isArray(v) || isMapping(v);
const entries = (v: unknown) => mappingKeys(v).sort().map((k) => [k, mappingGet(v, k).value] as const);

function flowNode(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flowNode).join(', ')}]`;
  if (isMapping(v)) return `{${entries(v).map(([k, x]) => `${scalar(k, true, '')}: ${flowNode(x)}`).join(', ')}}`;
  return scalar(v, true, '');
}

function useFlow(v: unknown, o: DumpOptions): boolean {
  if (Array.isArray(v) && v.length === 0) return true;
  if (isMapping(v) && mappingKeys(v).length === 0) return true;
  if (o.flow === null) return Array.isArray(v) ? !v.some(isColl) : !entries(v).some(([, x]) => isColl(x));
  return o.flow;
}

/** Lines of a block node whose first line continues the current line (after "key:" or "- "). */
function block(v: unknown, depth: number, o: DumpOptions): { inline: string | null; lines: string[] } {
  const pad = ' '.repeat(depth);
  if (!isColl(v)) return { inline: scalar(v, false, ' '.repeat(depth + o.indent)), lines: [] };
  if (useFlow(v, o)) return { inline: flowNode(v), lines: [] };
  const lines: string[] = [];
  if (Array.isArray(v)) {
    for (const item of v) {
      const b = block(item, depth + o.indent, o);
      if (b.inline !== null) lines.push(`${pad}- ${b.inline}`);
      else {
        const first = (b.lines[0] as string).slice(depth + o.indent);
        lines.push(`${pad}-${' '.repeat(o.indent - 1)}${first}`, ...b.lines.slice(1));
      }
    }
    return { inline: null, lines };
  }
  for (const [k, x] of entries(v)) {
    const key = `${pad}${scalar(k, false, pad)}:`;
    // PyYAML does not indent a sequence under a mapping key
    const b = block(x, Array.isArray(x) ? depth : depth + o.indent, o);
    if (b.inline !== null) lines.push(`${key} ${b.inline}`);
    else lines.push(key, ...b.lines);
  }
  return { inline: null, lines };
}

export function yamlDump(v: unknown, o: DumpOptions): string {
  const b = block(v, 0, o);
  if (b.inline !== null) return `${b.inline}\n`;
  return b.lines.join('\n') + '\n';
}
