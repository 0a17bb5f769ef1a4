import { TemplateError } from '../../errors/index.js';
import { bind } from '../python/args.js';
import { pyStr } from '../python/repr.js';
import { truthy } from '../python/ops.js';
import type { TestFn } from '../runtime.js';

/* ansible's version test: distutils LooseVersion by default, StrictVersion with strict=True. */

type Part = number | string;

const OPS: Record<string, string> = {
  '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le', '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne',
};

/** LooseVersion: runs of digits, runs of letters and any other character, dots dropped. */
export function looseParts(v: string): Part[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x !== '' && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

/** Python list ordering; an int against a str is a TypeError, as in Python 3. */
function cmpParts(a: Part[], b: Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as Part;
    const y = b[i] as Part;
    if (x === y) continue;
    if (typeof x !== typeof y) {
      throw new TemplateError(`Version comparison failed: '<' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`);
    }
    return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

function strictParts(v: string): Part[] {
  const m = /^(\d+)\.(\d+)(\.(\d+))?(([ab])(\d+))?$/.exec(v);
  if (!m) throw new TemplateError(`Version comparison failed: invalid version number '${v}'`);
  const pre: Part[] = m[6] ? [m[6], Number(m[7])] : ['~'];
  return [Number(m[1]), Number(m[2]), Number(m[4] ?? 0), ...pre];
}

function semverParts(v: string): Part[] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) throw new TemplateError(`Version comparison failed: invalid semantic version '${v}'`);
  const pre = m[4] ? m[4].split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)) : [];
  return [Number(m[1]), Number(m[2]), Number(m[3]), pre.length ? 0 : 1, ...pre.map((x) => (typeof x === 'number' ? x : x))];
}

function compareVersions(a: string, b: string, kind: string, op: string): boolean {
  const parse = kind === 'strict' ? strictParts : kind === 'semver' || kind === 'semantic' ? semverParts : looseParts;
  const pa = parse(a);
  const pb = parse(b);
  if (op === 'eq' || op === 'ne') {
    const same = pa.length === pb.length && pa.every((x, i) => x === pb[i]);
    return op === 'eq' ? same : !same;
  }
  const c = cmpParts(pa, pb);
  return { lt: c < 0, le: c <= 0, gt: c > 0, ge: c >= 0 }[op] as boolean;
}

export function versionTest(value: unknown, ...args: unknown[]): boolean {
  const a = bind('version', args, ['version', 'operator', 'strict', 'version_type'], { operator: 'eq', strict: null, version_type: null });
  const op = OPS[pyStr(a.operator)];
  if (!op) throw new TemplateError(`Invalid operator type (${pyStr(a.operator)})`);
  if (a.strict !== null && a.version_type !== null) throw new TemplateError("Cannot specify both 'strict' and 'version_type'");
  if (value === null || value === '' || value === undefined) throw new TemplateError('Input version value cannot be empty');
  if (a.version === null || a.version === '' || a.version === undefined) throw new TemplateError('Version parameter to compare against cannot be empty');
  const kind = a.strict !== null && truthy(a.strict) ? 'strict' : a.version_type !== null ? pyStr(a.version_type) : 'loose';
  return compareVersions(pyStr(value), pyStr(a.version), kind, op);
}

export const versionTests: Record<string, TestFn> = {
  version: versionTest,
  version_compare: versionTest,
};
