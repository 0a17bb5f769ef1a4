import { existsSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { TemplateError } from '../../errors/index.js';
import type { RenderInfo } from '../context.js';
import { truthy } from '../python/ops.js';
import { pyStr } from '../python/repr.js';
import { isMapping, mappingGet, toDict, type VarSource } from '../python/values.js';
import { ansibleTemplateVars } from '../template-vars.js';
import { convertData } from '../concat.js';
import { PlainLookupError, type LookupFn } from './lookup-fn.js';
import { searchCandidates } from './search-path.js';

/** Like ansible's find_file_in_search_path: <path>/<subdir>/<name>, then <path>/<name>. */
export function findInSearchPath(name: string, subdir: string, info: RenderInfo): string | undefined {
  if (isAbsolute(name)) return existsSync(name) ? name : undefined;
  for (const c of lookupCandidates(name, subdir, info)) if (existsSync(c) && statSync(c).isFile()) return c;
  return undefined;
}

/** The folders a lookup searches for `sub` ("" for the search paths themselves), existing ones only. */
export function lookupSearchDirs(sub: string, subdir: string, info: RenderInfo): string[] {
  if (sub !== '' && isAbsolute(sub)) return [sub];
  const cands = sub === '' ? lookupCandidates('.', subdir, info).map((c) => c.replace(/\/\.$/, '')) : lookupCandidates(sub, subdir, info);
  return cands.filter((c) => existsSync(c) && statSync(c).isDirectory());
}

/** Like ansible's lookups: the task's ansible_search_path, then the playbook folder. */
function lookupCandidates(name: string, subdir: string, info: RenderInfo): string[] {
  if (info.opts.searchPaths !== undefined) return info.opts.searchPaths.flatMap((p) => [join(p, subdir, name), join(p, name)]);
  const varPath = (n: string): unknown => (info.vars.has(n) ? info.vars.get(n) : undefined);
  const sp = varPath('ansible_search_path');
  const basedir = varPath('playbook_dir');
  const paths = Array.isArray(sp) ? sp.map(String) : [];
  return searchCandidates(paths, typeof basedir === 'string' ? basedir : process.cwd(), subdir, name);
}

function fileLookup(terms: unknown[], kw: Record<string, unknown>, info: RenderInfo): unknown[] {
  return terms.flat().map((t) => {
    const path = findInSearchPath(pyStr(t), 'files', info);
    if (!path) throw new TemplateError(`could not locate file in lookup: ${pyStr(t)}`);
    let text = readFileSync(path, 'utf8');
    if (truthy(kw.lstrip ?? false)) text = text.replace(/^\s+/, '');
    if (truthy(kw.rstrip ?? true)) text = text.replace(/\s+$/, '');
    return text;
  });
}

/**
 * lookup('template') options with ansible 2.14's defaults (jinja2_native: tsplay renders text
 * only). Like ansible, other keywords are accepted and have no effect.
 */
const TEMPLATE_OPTIONS: Readonly<Record<string, unknown>> = {
  convert_data: true, template_vars: {}, jinja2_native: false,
  variable_start_string: '{{', variable_end_string: '}}', comment_start_string: '{#', comment_end_string: '#}',
};

/** The caller's variables with more on top (template_vars over the template's own). */
function withVars(base: VarSource, extra: Readonly<Record<string, unknown>>): VarSource {
  const own = (n: string) => Object.prototype.hasOwnProperty.call(extra, n);
  return { has: (n) => own(n) || base.has(n), get: (n) => (own(n) ? extra[n] : base.get(n)), names: () => [...new Set([...Object.keys(extra), ...base.names()])] };
}

/**
 * ansible's template lookup: each term's file rendered with the caller's variables, the
 * template_* variables and template_vars, under the given delimiters; with convert_data=False
 * the text is never turned into data (NativeJinjaText).
 */
function templateLookup(terms: unknown[], kw: Record<string, unknown>, info: RenderInfo): unknown[] {
  const o = { ...TEMPLATE_OPTIONS, ...kw };
  if (!isMapping(o.template_vars)) throw new TemplateError(`Invalid type for configuration option plugin_type: lookup plugin: template setting: template_vars : '${pyStr(o.template_vars)}' is not a dictionary`);
  const delimiters = {
    variableStart: pyStr(o.variable_start_string), variableEnd: pyStr(o.variable_end_string),
    commentStart: pyStr(o.comment_start_string), commentEnd: pyStr(o.comment_end_string),
  };
  return terms.flat().map((t) => {
    const path = findInSearchPath(pyStr(t), 'templates', info);
    if (!path) throw new TemplateError(`the template file ${pyStr(t)} could not be found for the lookup`);
    const vars = withVars(info.vars, { ...ansibleTemplateVars(pyStr(t), path), ...toDict(o.template_vars) });
    const source = readFileSync(path, 'utf8');
    // like ansible's Templar.template: text with no template syntax at all is returned as it is
    // (not even a `#jinja2:` header is read)
    if (![delimiters.variableStart, '{%', delimiters.commentStart].some((d) => source.includes(d))) return source;
    const text = info.renderText(source, vars, { delimiters });
    if (!truthy(o.convert_data)) {
      info.keepAsText(text);
      return text;
    }
    // like ansible: the render itself converts (before the trailing newlines are restored)
    const data = convertData(text.replace(/\n+$/, ''));
    return typeof data === 'string' ? text : data;
  });
}

function envLookup(terms: unknown[], kw: Record<string, unknown>): unknown[] {
  return terms.flat().map((t) => process.env[pyStr(t)] ?? (kw.default === undefined ? '' : kw.default));
}

/** Like ansible 2.14's _process_terms: string terms use the keyword files/paths, dicts their own. */
function firstFoundCandidates(terms: unknown[], kw: Record<string, unknown>): { list: string[]; skip: boolean } {
  let list: string[] = [];
  let skip = false;
  const split = (v: unknown, seps: RegExp) =>
    (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]).flatMap((x) => pyStr(x).split(seps)).filter((x) => x !== '');
  for (const term of terms) {
    if (Array.isArray(term)) {
      const inner = firstFoundCandidates(term, kw);
      list.push(...inner.list);
      skip = inner.skip;
      continue;
    }
    const opt = (k: string) => (isMapping(term) ? mappingGet(term, k).value : kw[k]);
    const files = split(opt('files'), /[,;]/);
    const paths = split(opt('paths'), /[,:;]/);
    skip = truthy(opt('skip') ?? false);
    if (paths.length) for (const p of paths) list.push(...files.map((f) => join(p, f)));
    else if (files.length) list = files;
    else list.push(pyStr(term));
  }
  return { list, skip };
}

function firstFound(terms: unknown[], kw: Record<string, unknown>, info: RenderInfo): unknown[] {
  const { list, skip } = firstFoundCandidates(terms, kw);
  for (const f of list) {
    const found = findInSearchPath(f, 'files', info);
    if (found) return [found];
  }
  if (skip) return [];
  throw new PlainLookupError('No file was found when using first_found.');
}

function run(cmd: string): string {
  try {
    return execFileSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const status = (e as { status?: number }).status;
    throw new TemplateError(`lookup_plugin.lines(${cmd}) returned ${status ?? 1}`);
  }
}

export const fileLookups: Record<string, LookupFn> = {
  file: fileLookup,
  template: templateLookup,
  env: envLookup,
  first_found: firstFound,
  lines: (terms) => terms.flat().flatMap((t) => run(pyStr(t)).split('\n').filter((l, i, a) => i < a.length - 1 || l !== '')),
  pipe: (terms) => terms.flat().map((t) => run(pyStr(t)).replace(/\s+$/, '')),
};
