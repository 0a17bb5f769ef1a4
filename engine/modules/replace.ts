import type { ModuleDef } from '../types/module.js';
import { aliased, bool, BOOL, FILE_ATTR_PROPS, requireOneOf, STR, str } from './remote-file/args.js';
import { editFile, type EditOutcome } from './remote-file/edit.js';
import { expandTemplate, pyRegex } from './remote-file/pyre.js';

export interface ReplaceOpts {
  readonly regexp: string;
  readonly replace: string;
  readonly after?: string;
  readonly before?: string;
}

/** re.subn with re.MULTILINE over the whole text or the after/before section (re.DOTALL). */
export function applyReplace(contents: string, o: ReplaceOpts): EditOutcome & { readonly noSection?: string } {
  let start = 0;
  let end = contents.length;
  const pattern = o.after !== undefined && o.before !== undefined ? `${o.after}(?P<subsection>.*?)${o.before}`
    : o.after !== undefined ? `${o.after}(?P<subsection>.*)` : o.before !== undefined ? `(?P<subsection>.*)${o.before}` : '';
  if (pattern !== '') {
    const m = pyRegex(pattern, 'sd').exec(contents);
    if (m === null) return { text: contents, changed: false, msg: `Pattern for before/after params did not match the given file: ${pattern}`, noSection: pattern };
    [start, end] = (m as RegExpExecArray & { indices: [number, number][] & { groups: Record<string, [number, number]> } }).indices.groups.subsection!;
  }
  const section = contents.slice(start, end);
  let count = 0;
  const re = pyRegex(o.regexp, 'gm');
  const replaced = section.replace(re, (...args: unknown[]) => {
    count++;
    const hasNamed = typeof args[args.length - 1] === 'object';
    const groups = args.slice(0, hasNamed ? -3 : -2) as (string | undefined)[];
    const named = (hasNamed ? args[args.length - 1] : {}) as Record<string, string | undefined>;
    return expandTemplate(o.replace, groups, named);
  });
  if (count > 0 && replaced !== section) {
    return { text: contents.slice(0, start) + replaced + contents.slice(end), changed: true, msg: `${count} replacements made` };
  }
  return { text: contents, changed: false, msg: '' };
}

/** ansible.builtin.replace */
export const replace: ModuleDef = {
  name: 'replace',
  schema: {
    type: 'object', additionalProperties: false, required: ['regexp'], ...requireOneOf(['path', 'dest', 'destfile', 'name']),
    properties: {
      path: STR, dest: STR, destfile: STR, name: STR, regexp: STR, replace: STR, after: STR, before: STR,
      backup: BOOL, validate: STR, encoding: STR, others: STR, ...FILE_ATTR_PROPS,
    },
  },
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const path = aliased(a, ['path', 'dest', 'destfile', 'name'])!;
    const o: ReplaceOpts = { regexp: str(a.regexp)!, replace: str(a.replace) ?? '', after: str(a.after), before: str(a.before) };
    let noSection: string | undefined;
    const r = await editFile(ctx, {
      path, create: false, backup: bool(a.backup, false), plainDiff: true,
      missing: { changed: false, failed: true, rc: 257, msg: `Path ${path} does not exist !` },
      edit: (text) => { const out = applyReplace(text, o); noSection = out.noSection; return out; },
    });
    if (noSection !== undefined) return { changed: false, msg: r.msg };
    const { backup, ...rest } = r;
    return { ...rest, rc: 0, ...(backup === undefined ? {} : { backup_file: backup }) };
  },
};
