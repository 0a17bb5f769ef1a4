import type { FileDiff, ModuleContext, ModuleResult } from '../../types/module.js';
import { sh } from '../../transport/shell.js';
import { attrChanges, attrCommands, hasChanges, readAttrArgs, type AttrChanges } from './attrs.js';
import { attrDiff, contentDiff } from './diff.js';
import { formatMode } from './mode.js';
import { absentStepStatus, dirname, ifAbsent, probeAfter, probed, runScript } from './exec.js';
import { guardWrote, guardedWrite, leftFile, noteFile, recallFile, seenFile, type KnownFile } from './known.js';
import { probeScript, TEXT_READ_MAX, type ProbeItem, type ProbeResult, type RemoteStat } from './probe.js';
import { atomicWrite, inlineable, settleCreated, writeFailure, writePlan } from './write.js';

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

/** What the edit decides from the file's text and attributes (existing undefined: a new file). */
interface Decision {
  readonly out: EditOutcome;
  readonly changes: AttrChanges;
  readonly changed: boolean;
  /** The result when the write goes through (or nothing is to change). */
  readonly base: ModuleResult;
  readonly data: Buffer;
}

function decide(ctx: ModuleContext, spec: EditSpec, before: string, existing: RemoteStat | undefined): Decision {
  const out = spec.edit(before, existing !== undefined);
  const changes = attrChanges(readAttrArgs(ctx.args), existing, false);
  const attrsChanged = hasChanges(changes);
  const msg = attrsChanged ? (spec.attrMsg ?? attrMessage)(out.msg) : out.msg;
  const changed = out.changed || attrsChanged;
  const base: ModuleResult = { changed, msg, ...out.extra, ...ctx.diffs.of(() => diffOf(spec, before, out.changed ? out.text : before, existing, changes)) };
  return { out, changes, changed, base, data: Buffer.from(out.text, 'utf8') };
}

/**
 * The file (a symlink's target: its stat, text and real path) and its folder, with the text
 * read by the shell's builtins when small.
 */
function probeItems(path: string): ProbeItem[] {
  return [{ path, content: true, textUpTo: TEXT_READ_MAX, follow: true }, { path: dirname(path) }];
}

/** The first round trip's outcome: the task is done (written in it), or the probe to plan from. */
type FirstLook =
  | { readonly kind: 'done'; readonly result: ModuleResult }
  | { readonly kind: 'probed'; readonly st: ProbeResult; readonly parent: ProbeResult };

/**
 * Edits in place: probe (stat + content in ONE exec), edit on the controller, then write
 * atomically with the attribute changes folded into the same exec. A no-change run costs one
 * round trip; so does a change to the file this host's last edit left (guardedEdit) and a new
 * file (create: the host writes it when it is absent, in the probe's own round trip).
 */
export async function editFile(ctx: ModuleContext, spec: EditSpec): Promise<ModuleResult> {
  const known = recallFile(ctx, spec.path);
  const first = known !== undefined ? await guardedEdit(ctx, spec, known) : await probeOrCreate(ctx, spec);
  return first.kind === 'done' ? first.result : await planned(ctx, spec, first.st, first.parent);
}

function validateOf(ctx: ModuleContext): string | undefined {
  return typeof ctx.args.validate === 'string' ? ctx.args.validate : undefined;
}

/**
 * ONE round trip for a change to a file the run knows (its last edit on this host left it, or
 * read it): the controller edits the known text, and the host writes the result only if the
 * file is still exactly that (guardedWrite); else the host answers the probe instead, and the
 * edit is planned from what is really there, as without a note. Not for backup or validate
 * (they name or check the file the host holds), nor in check mode.
 */
async function guardedEdit(ctx: ModuleContext, spec: EditSpec, known: KnownFile): Promise<FirstLook> {
  const d = decide(ctx, spec, known.text, known.stat);
  const plain = (): Promise<FirstLook> => probeOrCreate(ctx, spec);
  if (!d.out.changed || spec.backup || validateOf(ctx) !== undefined || !inlineable(d.data)) return plain();
  const plan = writePlan({ dest: spec.path, data: d.data, existing: known.stat, changes: d.changes });
  if (typeof plan === 'string' || !ctx.mayChange(`edit ${spec.path} if it is as the last edit left it`)) return plain();
  const items = probeItems(spec.path);
  const res = await runScript(ctx, guardedWrite(known, plan.script, probeScript(items)));
  if (guardWrote(res.stdout)) {
    noteFile(ctx, leftFile(known.stat, d.data, d.changes));
    return { kind: 'done', result: d.base };
  }
  if (res.rc !== 0) {
    noteFile(ctx, undefined);
    return { kind: 'done', result: { changed: false, failed: true, msg: writeFailure(spec.path, res.rc, res.stderr) } };
  }
  const [st, parent] = (await probed(ctx, items, res)).results;
  return { kind: 'probed', st: st!, parent: parent! };
}

/**
 * The probe; with create, a new file is written in the same round trip when it is absent and
 * its folder exists (the host decides: nothing of the old file to weigh), and the probe after
 * it reads the new file.
 */
async function probeOrCreate(ctx: ModuleContext, spec: EditSpec): Promise<FirstLook> {
  const create = createIfAbsent(ctx, spec);
  const items = probeItems(spec.path);
  const { results, head, stderr } = await probeAfter(ctx, create?.script ?? '', items);
  const [st, parent] = results;
  const rc = absentStepStatus(head);
  if (create === undefined || rc === undefined) return { kind: 'probed', st: st!, parent: parent! };
  if (rc !== 0) return { kind: 'done', result: { changed: false, failed: true, msg: writeFailure(spec.path, rc, stderr) } };
  const after = await settleCreated(ctx, spec.path, st!, create.createdMode);
  if (typeof after === 'string') return { kind: 'done', result: { changed: false, failed: true, msg: `failed to set the mode of ${spec.path}: ${after}` } };
  noteFile(ctx, seenFile({ ...after, content: create.data }));
  return { kind: 'done', result: create.decision.base };
}

/** The write of a new file for probeOrCreate, when the edit of no text changes something. */
function createIfAbsent(ctx: ModuleContext, spec: EditSpec): { script: string; createdMode?: number; data: Buffer; decision: Decision } | undefined {
  if (!spec.create || validateOf(ctx) !== undefined) return undefined;
  const d = decide(ctx, spec, '', undefined);
  if (!d.out.changed || !inlineable(d.data)) return undefined;
  // the probe that follows stats the new file: its mode may come from the umask (createdMode)
  const plan = writePlan({ dest: spec.path, data: d.data, changes: d.changes, checksMode: true });
  if (typeof plan === 'string' || !ctx.mayChange(`edit ${spec.path} if it is absent`)) return undefined;
  return { script: ifAbsent(spec.path, plan.script, dirname(spec.path)), createdMode: plan.createdMode, data: d.data, decision: d };
}

/** The plan from a probe: edit on the controller, then one write (none when nothing changes). */
async function planned(ctx: ModuleContext, spec: EditSpec, st: ProbeResult, parent: ProbeResult): Promise<ModuleResult> {
  // a symlink followed to nothing: like ansible's os.path.exists, the file does not exist
  const dangling = st.exists && st.type === 'link';
  if ((!st.exists || dangling) && !spec.create) return spec.missing;
  if (st.exists && st.type === 'directory') return { changed: false, failed: true, rc: 256, msg: `Path ${spec.path} is a directory !` };
  const existing = st.exists && !dangling ? st : undefined;
  // like ansible's atomic_move onto os.path.realpath(dest): a symlink stays, its target is written
  const dest = st.exists && st.linkSource !== undefined ? st.linkSource : spec.path;
  const before = existing?.content?.toString('utf8') ?? '';
  const d = decide(ctx, spec, before, existing);
  // notes are of regular files at their own path (the guard's stat does not follow links)
  const seen = dest === spec.path ? seenFile(existing) : undefined;
  noteFile(ctx, seen);
  if (!d.changed) return d.base;
  const done = await ctx.change(`edit ${spec.path}`, async (host): Promise<ModuleResult> => {
    if (!d.out.changed) {
      const res = await host.exec(['set -e', ...attrCommands(spec.path, d.changes)].join('\n'));
      if (res.rc !== 0) return { changed: false, failed: true, msg: res.stderr.trim() };
      noteFile(ctx, seen === undefined ? undefined : leftFile(seen.stat, Buffer.from(seen.text, 'utf8'), d.changes));
      return d.base;
    }
    noteFile(ctx, undefined);
    // like ansible: the folders of the path as given are made, not those of a link's target
    if (!parent.exists) await host.exec(sh`mkdir -p -- ${dirname(spec.path)}`);
    // like ansible's lineinfile/blockinfile/replace: `validate` checks the new content before it lands
    // like ansible's backup_local(path): the backup is named after the path as given, a link's too
    const w = await atomicWrite(host, { dest, backupAs: spec.path, data: d.data, existing, changes: d.changes, backup: spec.backup, validate: validateOf(ctx) });
    if (!w.ok) return { changed: false, failed: true, msg: w.msg };
    if (seen !== undefined) noteFile(ctx, leftFile(seen.stat, d.data, d.changes));
    return w.backupFile === undefined ? d.base : { ...d.base, backup: w.backupFile, backup_file: w.backupFile };
  });
  return done.value ?? d.base;
}

/** Python readlines(): lines keep their '\n'. */
export function readLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function stripEol(line: string): string {
  return line.replace(/[\r\n]+$/, '');
}
