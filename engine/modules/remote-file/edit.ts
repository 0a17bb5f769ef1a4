import type { FileDiff, ModuleContext, ModuleResult } from '../../types/module.js';
import { sh } from '../../transport/shell.js';
import { attrChanges, attrCommands, hasChanges, readAttrArgs, type AttrChanges } from './attrs.js';
import { attrDiff, contentDiff } from './diff.js';
import { formatMode } from './mode.js';
import { dirname, probe } from './exec.js';
import { TEXT_READ_MAX, type RemoteStat } from './probe.js';
import { atomicWrite } from './write.js';

/** What an in-place editor decided for the file's text. */
export interface EditOutcome {
  readonly text: string;
  readonly changed: boolean;
  readonly msg: string;
  /** Extra result fields (lineinfile's `found`). */
  readonly extra?: Record<string, unknown>;
}

export interface EditSpec {
  readonly path: string;
  readonly create: boolean;
  readonly backup: boolean;
  /** Result when the file is missing and create is off. */
  readonly missing: ModuleResult;
  /** Pure text transformation (lineinfile, blockinfile, replace); null = give `missing`. */
  edit(before: string, exists: boolean): EditOutcome;
  /** blockinfile/replace report attribute-only changes in their own words. */
  readonly attrMsg?: (msg: string) => string;
  /** replace's diff is a single dict with the plain path as headers. */
  readonly plainDiff?: boolean;
}

/** ansible's check_file_attrs wording. */
export function attrMessage(msg: string): string {
  return msg === '' ? 'ownership, perms or SE linux context changed' : `${msg} and ownership, perms or SE linux context changed`;
}

function diffOf(spec: EditSpec, before: string, after: string, existing: RemoteStat | undefined, changes: AttrChanges): FileDiff | FileDiff[] {
  if (spec.plainDiff === true) return { before, after, beforeHeader: spec.path, afterHeader: spec.path };
  const header = `${spec.path} (file attributes)`;
  // like ansible's set_fs_attributes_if_different diff: only the attributes that change
  const was: Record<string, unknown> = {};
  const will: Record<string, unknown> = {};
  if (changes.mode !== undefined) [was.mode, will.mode] = [existing === undefined ? undefined : formatMode(existing.mode), formatMode(changes.mode)];
  if (changes.owner !== undefined) [was.owner, will.owner] = [existing?.owner, changes.owner];
  if (changes.group !== undefined) [was.group, will.group] = [existing?.group, changes.group];
  const attrs = Object.keys(will).length === 0 || existing === undefined ? { before: '', after: '' } : attrDiff(was, will);
  return [contentDiff(spec.path, before, after), { ...attrs, beforeHeader: header, afterHeader: header }];
}

/**
 * Probe (stat + content in ONE exec), edit on the controller, then write atomically with the
 * attribute changes folded into the same exec. A no-change run costs one round trip.
 */
export async function editFile(ctx: ModuleContext, spec: EditSpec): Promise<ModuleResult> {
  const [st, parent] = await probe(ctx, [{ path: spec.path, content: true, textUpTo: TEXT_READ_MAX }, { path: dirname(spec.path) }]);
  if (!st!.exists && !spec.create) return spec.missing;
  if (st!.exists && st!.type === 'directory') return { changed: false, failed: true, rc: 256, msg: `Path ${spec.path} is a directory !` };
  const existing = st!.exists ? (st as RemoteStat) : undefined;
  const before = existing?.content?.toString('utf8') ?? '';
  const out = spec.edit(before, existing !== undefined);
  const changes = attrChanges(readAttrArgs(ctx.args), existing, false);
  const attrsChanged = hasChanges(changes);
  const msg = attrsChanged ? (spec.attrMsg ?? attrMessage)(out.msg) : out.msg;
  const changed = out.changed || attrsChanged;
  const base: ModuleResult = { changed, msg, ...out.extra, ...ctx.diffs.of(() => diffOf(spec, before, out.changed ? out.text : before, existing, changes)) };
  if (!changed) return base;
  const done = await ctx.change(`edit ${spec.path}`, async (host): Promise<ModuleResult> => {
    if (!out.changed) {
      const res = await host.exec(['set -e', ...attrCommands(spec.path, changes)].join('\n'));
      return res.rc === 0 ? base : { changed: false, failed: true, msg: res.stderr.trim() };
    }
    if (!parent!.exists) await host.exec(sh`mkdir -p -- ${dirname(spec.path)}`);
    // like ansible's lineinfile/blockinfile/replace: `validate` checks the new content before it lands
    const validate = typeof ctx.args.validate === 'string' ? ctx.args.validate : undefined;
    const w = await atomicWrite(host, { dest: spec.path, data: Buffer.from(out.text, 'utf8'), existing, changes, backup: spec.backup, validate });
    if (!w.ok) return { changed: false, failed: true, msg: w.msg };
    return w.backupFile === undefined ? base : { ...base, backup: w.backupFile, backup_file: w.backupFile };
  });
  return done.value ?? base;
}

/** Python readlines(): lines keep their '\n'. */
export function readLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function stripEol(line: string): string {
  return line.replace(/[\r\n]+$/, '');
}
