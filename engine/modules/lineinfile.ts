import { ModuleArgsError } from '../errors/index.js';
import type { ModuleDef } from '../types/module.js';
import { aliased, bool, BOOL, FILE_ATTR_PROPS, requireOneOf, STR, str } from './remote-file/args.js';
import { editFile, readLines, stripEol, type EditOutcome } from './remote-file/edit.js';
import { expandTemplate, pyRegex } from './remote-file/pyre.js';

export interface LineOpts {
  readonly regexp?: string;
  readonly searchString?: string;
  readonly line: string;
  readonly insertafter?: string;
  readonly insertbefore?: string;
  readonly backrefs: boolean;
  readonly firstmatch: boolean;
}

/** Regex search like Python's re.search on a readlines() line ('$' also matches before '\n'). */
function search(re: RegExp, line: string): RegExpExecArray | null {
  return re.exec(line.endsWith('\n') ? line.slice(0, -1) : line);
}

/** Finds [matched line index, insertion index] exactly like ansible's present(). */
function locate(lines: readonly string[], o: LineOpts): { index: [number, number]; match: RegExpExecArray | boolean | null; exact: boolean } {
  const index: [number, number] = [-1, -1];
  let match: RegExpExecArray | boolean | null = null;
  let exact = false;
  const ins = o.insertafter !== undefined && o.insertafter !== 'BOF' && o.insertafter !== 'EOF' ? pyRegex(o.insertafter)
    : o.insertbefore !== undefined && o.insertbefore !== 'BOF' ? pyRegex(o.insertbefore) : undefined;
  const finders: ((l: string) => RegExpExecArray | boolean | null)[] = [];
  if (o.regexp !== undefined) { const re = pyRegex(o.regexp); finders.push((l) => search(re, l)); }
  if (o.searchString !== undefined) { const s = o.searchString; finders.push((l) => l.includes(s)); }
  for (const find of finders) {
    for (let i = 0; i < lines.length; i++) {
      const m = find(lines[i]!);
      if (m) { index[0] = i; match = m; if (o.firstmatch) break; }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      if (stripEol(lines[i]!) === o.line) { index[0] = i; exact = true; }
      else if (ins !== undefined && search(ins, lines[i]!)) {
        index[1] = o.insertafter !== undefined ? i + 1 : i;
        if (o.firstmatch) break;
      }
    }
  }
  return { index, match, exact };
}

/** ansible lineinfile state=present, line for line (the branch order matters). */
export function linePresent(text: string, o: LineOpts): EditOutcome {
  const lines = readLines(text);
  const { index, match, exact } = locate(lines, o);
  const add = (at: number): EditOutcome => { lines.splice(at, 0, `${o.line}\n`); return done('line added'); };
  const done = (msg: string): EditOutcome => ({ text: lines.join(''), changed: true, msg });
  const none: EditOutcome = { text, changed: false, msg: '' };
  const unterminated = (): boolean => lines.length > 0 && !/[\n\r]$/.test(lines[lines.length - 1]!);
  if (index[0] !== -1) {
    let newLine = o.backrefs && match && typeof match !== 'boolean' ? expandTemplate(o.line, [...match], match.groups ?? {}) : o.line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (o.regexp === undefined && o.searchString === undefined && !match && !exact) return none;
    if (lines[index[0]] !== newLine) { lines[index[0]] = newLine; return done('line replaced'); }
    return none;
  }
  if (o.backrefs) return none;
  if (o.insertbefore === 'BOF' || o.insertafter === 'BOF') return add(0);
  if (o.insertafter === 'EOF' || index[1] === -1) {
    if (unterminated()) lines.push('\n');
    return add(lines.length);
  }
  if (o.insertafter !== undefined) {
    if (lines.length === index[1]) return stripEol(lines[index[1] - 1]!) !== o.line ? add(lines.length) : none;
    return o.line !== stripEol(lines[index[1]]!) ? add(index[1]) : none;
  }
  return add(index[1]);
}

/** ansible lineinfile state=absent: drops every matching line. */
export function lineAbsent(text: string, o: { regexp?: string; searchString?: string; line?: string }): EditOutcome {
  const re = o.regexp === undefined ? undefined : pyRegex(o.regexp);
  const matches = (l: string): boolean => re !== undefined ? search(re, l) !== null : o.searchString !== undefined ? l.includes(o.searchString) : stripEol(l) === o.line;
  const lines = readLines(text);
  const kept = lines.filter((l) => !matches(l));
  const found = lines.length - kept.length;
  return { text: kept.join(''), changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', extra: { found } };
}

/** ansible.builtin.lineinfile */
/** like ansible's lineinfile: an empty regexp or search_string matches every line, and says so. */
function emptyPatternWarning(regexp: string | undefined, searchString: string | undefined): { warnings?: string[] } {
  if (regexp !== '' && searchString !== '') return {};
  const what = regexp === '' ? 'regular expression' : 'search string';
  const extra = regexp === '' ? " If this is desired, use '^' to match every line in the file and avoid this warning." : '';
  return { warnings: [`The ${what} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.${extra}`] };
}

export const lineinfile: ModuleDef = {
  name: 'lineinfile',
  schema: {
    type: 'object', additionalProperties: false, ...requireOneOf(['path', 'dest', 'destfile', 'name']),
    properties: {
      path: STR, dest: STR, destfile: STR, name: STR, regexp: STR, regex: STR, search_string: STR, state: { enum: ['present', 'absent'] },
      line: STR, value: STR, backrefs: BOOL, insertafter: STR, insertbefore: STR, create: BOOL, backup: BOOL, firstmatch: BOOL,
      validate: STR, others: STR, ...FILE_ATTR_PROPS,
    },
  },
  supportsCheck: true,
  run(ctx) {
    const a = ctx.args;
    const path = aliased(a, ['path', 'dest', 'destfile', 'name'])!;
    const regexp = aliased(a, ['regexp', 'regex']);
    const line = aliased(a, ['line', 'value']);
    const absent = a.state === 'absent';
    const searchString = str(a.search_string);
    if (absent && regexp === undefined && searchString === undefined && line === undefined) throw new ModuleArgsError('one of the following is required: line, regexp, search_string', { where: ctx.loc });
    if (!absent && line === undefined) throw new ModuleArgsError('state=present requires line', { where: ctx.loc });
    if (bool(a.backrefs, false) && regexp === undefined) throw new ModuleArgsError('regexp is required with backrefs=true', { where: ctx.loc });
    const opts: LineOpts = {
      regexp, searchString, line: line ?? '', insertafter: str(a.insertafter), insertbefore: str(a.insertbefore),
      backrefs: bool(a.backrefs, false), firstmatch: bool(a.firstmatch, false),
    };
    const missing = absent ? { changed: false, msg: 'file not present' } : { changed: false, failed: true, rc: 257, msg: `Destination ${path} does not exist !` };
    return editFile(ctx, {
      path, create: !absent && bool(a.create, false), backup: bool(a.backup, false), missing,
      edit: (text) => (absent ? lineAbsent(text, { regexp, searchString, line }) : linePresent(text, opts)),
    }).then((r) => ({ backup: '', ...r, ...emptyPatternWarning(regexp, searchString) }));
  },
};
