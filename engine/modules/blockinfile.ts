import type { ModuleDef } from '../types/module.js';
import { aliased, bool, BOOL, FILE_ATTR_PROPS, requireOneOf, STR, str } from './remote-file/args.js';
import { editFile, readLines, type EditOutcome } from './remote-file/edit.js';
import { pyRegex } from './remote-file/pyre.js';

export interface BlockOpts {
  readonly marker: string;
  readonly markerBegin: string;
  readonly markerEnd: string;
  readonly block: string;
  readonly present: boolean;
  readonly insertafter?: string;
  readonly insertbefore?: string;
}

function insertIndex(lines: readonly string[], o: BlockOpts): number {
  const after = o.insertafter ?? (o.insertbefore === undefined ? 'EOF' : undefined);
  const re = after !== undefined && after !== 'EOF' ? pyRegex(after)
    : o.insertbefore !== undefined && o.insertbefore !== 'BOF' ? pyRegex(o.insertbefore) : undefined;
  if (re === undefined) return o.insertbefore !== undefined && after === undefined ? 0 : lines.length;
  // like ansible: a (?m) pattern is searched in the whole text and may span lines; the
  // insertion point is the line after (before) the match
  if (re.flags.includes('m')) {
    const text = lines.join('');
    const m = re.exec(text);
    if (m === null) return lines.length;
    return after !== undefined ? countNewlines(text, m.index + m[0].length) + 1 : countNewlines(text, m.index);
  }
  let n0: number | undefined;
  lines.forEach((l, i) => { if (re.test(l.replace(/\n$/, ''))) n0 = i; });
  if (n0 === undefined) return lines.length;
  return after !== undefined ? n0 + 1 : n0;
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (text[i] === '\n') n++;
  return n;
}

/** ansible blockinfile's algorithm: replace the marked block in place or insert it. */
export function applyBlock(original: string | undefined, o: BlockOpts): EditOutcome {
  const lines = readLines(original ?? '');
  const m0 = `${o.marker.split('{mark}').join(o.markerBegin)}\n`;
  const m1 = `${o.marker.split('{mark}').join(o.markerEnd)}\n`;
  let block = o.block;
  if (block !== '' && !block.endsWith('\n')) block += '\n';
  const blockLines = o.present && block !== '' ? [m0, ...readLines(block), m1] : [];
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => { if (l === m0) n0 = i; if (l === m1) n1 = i; });
  if (n0 === undefined || n1 === undefined) n0 = insertIndex(lines, o);
  else if (n0 < n1) lines.splice(n0, n1 - n0 + 1);
  else { lines.splice(n1, n0 - n1 + 1); n0 = n1; }
  if (n0 > 0 && !lines[n0 - 1]!.endsWith('\n')) lines[n0 - 1] += '\n';
  lines.splice(n0, 0, ...blockLines);
  const result = lines.join('');
  if (original === result || (original === undefined && result === '')) return { text: result, changed: false, msg: '' };
  const msg = original === undefined ? 'File created' : blockLines.length === 0 ? 'Block removed' : 'Block inserted';
  return { text: result, changed: true, msg };
}

/** ansible.builtin.blockinfile */
export const blockinfile: ModuleDef = {
  name: 'blockinfile',
  schema: {
    type: 'object', additionalProperties: false, ...requireOneOf(['path', 'dest', 'destfile', 'name']),
    properties: {
      path: STR, dest: STR, destfile: STR, name: STR, state: { enum: ['present', 'absent'] }, marker: STR,
      block: STR, content: STR, insertafter: STR, insertbefore: STR, create: BOOL, backup: BOOL,
      marker_begin: STR, marker_end: STR, validate: STR, ...FILE_ATTR_PROPS,
    },
  },
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const path = aliased(a, ['path', 'dest', 'destfile', 'name'])!;
    const present = (str(a.state) ?? 'present') === 'present';
    const o: BlockOpts = {
      marker: str(a.marker) ?? '# {mark} ANSIBLE MANAGED BLOCK', markerBegin: str(a.marker_begin) ?? 'BEGIN',
      markerEnd: str(a.marker_end) ?? 'END', block: aliased(a, ['block', 'content']) ?? '', present,
      insertafter: str(a.insertafter), insertbefore: str(a.insertbefore),
    };
    const missing = present ? { changed: false, failed: true, rc: 257, msg: `Path ${path} does not exist !` } : { changed: false, msg: `File ${path} not present` };
    const r = await editFile(ctx, {
      path, create: present && bool(a.create, false), backup: bool(a.backup, false), missing,
      edit: (text, exists) => applyBlock(exists ? text : undefined, o),
    });
    const { backup, ...rest } = r;
    return backup === undefined ? rest : { ...rest, backup_file: backup };
  },
};
