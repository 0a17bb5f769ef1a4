import { createHash } from 'node:crypto';
import type { FileDiff, HostAccess, ModuleContext, ModuleResult } from '../../types/module.js';
import { sh } from '../../transport/shell.js';
import { attrChanges, attrCommands, fileResultFields, hasChanges, type AttrArgs } from './attrs.js';
import { attrDiff } from './diff.js';
import { absentStepStatus, dirname, ifAbsent, probeAfter } from './exec.js';
import { formatMode } from './mode.js';
import { builtinReadable, parseProbe, probeScript, type ProbeItem, type ProbeResult, type RemoteStat } from './probe.js';
import { atomicWrite, attrsThenStat, inlineable, missingAfterWrite, settleCreated, writeFailure, writePlan } from './write.js';

/** Puts bytes at a remote path the way copy/template do (probe, decide, atomic write). */
export interface PlaceOptions {
  /** The dest argument as given: a trailing '/' or an existing directory means "inside it". */
  readonly dest: string;
  /** Name to use inside a directory dest (src's basename); undefined for `content`. */
  readonly basename?: string;
  readonly data: Buffer;
  /** Shown as `src` in results and as the diff's after header. */
  readonly srcLabel?: string;
  readonly attrs: AttrArgs;
  readonly backup: boolean;
  readonly force: boolean;
  readonly validate?: string;
  readonly directoryMode?: unknown;
}

export const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex');
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

type Target =
  | { readonly kind: 'target'; readonly path: string; readonly st: ProbeResult; readonly mkdir: boolean }
  | { readonly kind: 'fail'; readonly result: ModuleResult }
  /** Written in the probe's own round trip (dest was absent): the outcome and the new stat. */
  | { readonly kind: 'created'; readonly path: string; readonly rc: number; readonly after: ProbeResult; readonly stderr: string; readonly createdMode?: number };

/**
 * The first run's one round trip. A new file needs no decision of the controller beyond what
 * it knows already (no old content, mode or owner to weigh): when dest is absent and its folder
 * exists, the host writes it at once and the probe that follows reports the new file; otherwise
 * the probe alone runs and the plan goes on as usual. Only for a plain dest (no trailing /), no
 * validate, an inline payload, and past the gate.
 */
function createIfAbsent(ctx: ModuleContext, o: PlaceOptions): { script: string; createdMode?: number } {
  if (o.dest.endsWith('/') || o.validate !== undefined || !inlineable(o.data)) return { script: '' };
  // the probe that follows stats the new file: its mode may come from the umask (createdMode)
  const plan = writePlan({ dest: o.dest, data: o.data, changes: attrChanges(o.attrs, undefined, false), checksMode: true });
  if (typeof plan === 'string' || !ctx.mayChange(`place ${o.dest} if it is absent`)) return { script: '' };
  return { script: ifAbsent(o.dest, plan.script, dirname(o.dest)), createdMode: plan.createdMode };
}

/** ONE round trip: dest, its parent and dest/basename are probed together (and a new dest written). */
async function resolveTarget(ctx: ModuleContext, o: PlaceOptions): Promise<Target> {
  const dest = o.dest;
  const inner = o.basename === undefined ? undefined : `${dest.replace(/\/+$/, '')}/${o.basename}`;
  // an unchanged dest has exactly the new bytes: text that long is read by the shell, no program
  const textUpTo = builtinReadable(o.data) ? o.data.length : undefined;
  const items: ProbeItem[] = [{ path: dest, checksum: 'sha1', content: ctx.diffs.readsBefore, follow: true, textUpTo }, { path: dirname(dest) }];
  if (inner !== undefined) items.push({ path: inner, checksum: 'sha1', content: ctx.diffs.readsBefore, follow: true, textUpTo });
  const create = createIfAbsent(ctx, o);
  const { results, head, stderr } = await probeAfter(ctx, create.script, items);
  const [d, parent, innerSt] = results;
  const rc = absentStepStatus(head);
  if (rc !== undefined) return { kind: 'created', path: dest, rc, after: d!, stderr, createdMode: create.createdMode };
  const isDir = dest.endsWith('/') || (d!.exists && d!.type === 'directory');
  if (isDir) {
    if (inner === undefined) return { kind: 'fail', result: { changed: false, failed: true, msg: 'can not use content with a dir as dest' } };
    return { kind: 'target', path: inner, st: innerSt!, mkdir: !d!.exists };
  }
  if (!parent!.exists) {
    return { kind: 'fail', result: { changed: false, failed: true, checksum: sha1(o.data), msg: `Destination directory ${dirname(dest)} does not exist` } };
  }
  return { kind: 'target', path: dest, st: d!, mkdir: false };
}

function textDiff(path: string, st: ProbeResult, o: PlaceOptions): FileDiff[] {
  // like ansible's copy action: a NUL byte marks content as binary, and binary is not diffed
  const dstBinary = st.exists && st.content !== undefined && st.content.includes(0);
  const srcBinary = o.data.includes(0);
  if (dstBinary || srcBinary) return [{ before: '', after: '', ...(dstBinary ? { dstBinary } : {}), ...(srcBinary ? { srcBinary } : {}) }];
  const before = st.exists && st.content !== undefined ? st.content.toString('utf8') : '';
  const d: FileDiff = { before, after: o.data.toString('utf8'), afterHeader: o.srcLabel ?? 'dynamically generated' };
  return [st.exists ? { ...d, beforeHeader: path } : d];
}

function finalFields(path: string, st: RemoteStat, checksum: string): Record<string, unknown> {
  return { dest: path, checksum, ...fileResultFields(st) };
}

/** like ansible: attributes alone go through the file module, whose diff is {path, mode/owner/group} as JSON. */
function attrsOnlyDiff(path: string, before: RemoteStat, after: RemoteStat): FileDiff {
  const pick = (s: RemoteStat): Record<string, unknown> => {
    const d: Record<string, unknown> = { path };
    if (before.mode !== after.mode) d.mode = formatMode(s.mode);
    if (before.owner !== after.owner) d.owner = s.owner;
    if (before.group !== after.group) d.group = s.group;
    return d;
  };
  return attrDiff(pick(before), pick(after));
}

function writeFailed(msg: string, rc: number, stdout: string, stderr: string): ModuleResult {
  return { changed: false, failed: true, msg, rc, stdout, stderr, exit_status: rc };
}

function written(ctx: ModuleContext, path: string, before: ProbeResult, after: RemoteStat, o: PlaceOptions, checksum: string): ModuleResult {
  const out: ModuleResult = { changed: true, ...finalFields(path, after, checksum), md5sum: md5(o.data), src: o.srcLabel };
  return { ...out, ...ctx.diffs.of(() => textDiff(path, before, o)) };
}

async function createdResult(ctx: ModuleContext, t: Extract<Target, { kind: 'created' }>, o: PlaceOptions, checksum: string): Promise<ModuleResult> {
  if (t.rc !== 0) return writeFailed(writeFailure(t.path, t.rc, t.stderr), t.rc, '', t.stderr);
  const after = await settleCreated(ctx, t.path, t.after, t.createdMode);
  if (typeof after === 'string') return writeFailed(`failed to set the mode of ${t.path}: ${after}`, 1, '', after);
  return written(ctx, t.path, { exists: false, path: t.path }, after, o, checksum);
}

export async function placeContent(ctx: ModuleContext, o: PlaceOptions): Promise<ModuleResult> {
  const t = await resolveTarget(ctx, o);
  if (t.kind === 'fail') return t.result;
  const checksum = sha1(o.data);
  if (t.kind === 'created') return await createdResult(ctx, t, o, checksum);
  const { path, st } = t;
  if (st.exists && !o.force) return { changed: false, dest: path, src: o.srcLabel };
  const same = st.exists && st.type === 'file' && st.checksum === checksum;
  const existing = st.exists && st.type === 'file' ? st : undefined;
  const changes = attrChanges(o.attrs, existing, false);
  if (same && !hasChanges(changes)) return { changed: false, ...finalFields(path, st, checksum), path };
  const done = await ctx.change(`place ${path}`, async (host): Promise<ModuleResult> => {
    if (same) {
      const after = await attrsThenStat(host, path, attrCommands(path, changes));
      if (typeof after === 'string') return { changed: false, failed: true, msg: after, dest: path };
      const out: ModuleResult = { changed: true, ...finalFields(path, after, checksum), path };
      return { ...out, ...ctx.diffs.of(() => attrsOnlyDiff(path, st as RemoteStat, after)) };
    }
    if (t.mkdir) await host.exec(sh`mkdir -p -- ${dirname(path)}`);
    const w = await atomicWrite(host, { dest: path, data: o.data, existing, changes, validate: o.validate, backup: o.backup, statAfter: true });
    if (!w.ok) return writeFailed(w.msg, w.rc, w.stdout, w.stderr);
    if (w.after === undefined) throw missingAfterWrite(path);
    return { ...written(ctx, path, st, w.after, o, checksum), ...(w.backupFile === undefined ? {} : { backup_file: w.backupFile }) };
  });
  if (done.applied) return done.value;
  // Check mode, like ansible's copy action: content to transfer reports only `changed` (and the
  // diff); attributes alone go through the file module, which reports the current stat.
  if (same) {
    const out: ModuleResult = { changed: true, ...finalFields(path, st, checksum), path };
    const predicted: RemoteStat = { ...(st as RemoteStat), mode: changes.mode ?? (st as RemoteStat).mode, owner: changes.owner ?? (st as RemoteStat).owner, group: changes.group ?? (st as RemoteStat).group };
    return { ...out, ...ctx.diffs.of(() => attrsOnlyDiff(path, st as RemoteStat, predicted)) };
  }
  return { changed: true, ...ctx.diffs.of(() => textDiff(path, st, o)) };
}
