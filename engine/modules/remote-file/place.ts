import { createHash } from 'node:crypto';
import type { FileDiff, HostAccess, ModuleContext, ModuleResult } from '../../types/module.js';
import { sh } from '../../transport/shell.js';
import { attrChanges, attrCommands, fileResultFields, hasChanges, type AttrArgs } from './attrs.js';
import { attrDiff } from './diff.js';
import { dirname, probe } from './exec.js';
import { formatMode } from './mode.js';
import { builtinReadable, parseProbe, probeScript, type ProbeItem, type ProbeResult, type RemoteStat } from './probe.js';
import { atomicWrite } from './write.js';

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
  | { readonly kind: 'fail'; readonly result: ModuleResult };

/** ONE round trip: dest, its parent and dest/basename are probed together. */
async function resolveTarget(ctx: ModuleContext, o: PlaceOptions): Promise<Target> {
  const dest = o.dest;
  const inner = o.basename === undefined ? undefined : `${dest.replace(/\/+$/, '')}/${o.basename}`;
  // an unchanged dest has exactly the new bytes: text that long is read by the shell, no program
  const textUpTo = builtinReadable(o.data) ? o.data.length : undefined;
  const items: ProbeItem[] = [{ path: dest, checksum: 'sha1', content: ctx.diffs.readsBefore, follow: true, textUpTo }, { path: dirname(dest) }];
  if (inner !== undefined) items.push({ path: inner, checksum: 'sha1', content: ctx.diffs.readsBefore, follow: true, textUpTo });
  const [d, parent, innerSt] = await probe(ctx, items);
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

/** Applies only attribute changes (content already right): one exec, stat rides along. */
async function fixAttrs(host: HostAccess, path: string, cmds: string[]): Promise<RemoteStat | string> {
  const res = await host.exec(['set -e', ...cmds, probeScript([{ path }])].join('\n'));
  if (res.rc !== 0) return res.stderr.trim();
  return parseProbe([{ path }], res.stdout)[0] as RemoteStat;
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

export async function placeContent(ctx: ModuleContext, o: PlaceOptions): Promise<ModuleResult> {
  const t = await resolveTarget(ctx, o);
  if (t.kind === 'fail') return t.result;
  const { path, st } = t;
  const checksum = sha1(o.data);
  if (st.exists && !o.force) return { changed: false, dest: path, src: o.srcLabel };
  const same = st.exists && st.type === 'file' && st.checksum === checksum;
  const existing = st.exists && st.type === 'file' ? st : undefined;
  const changes = attrChanges(o.attrs, existing, false);
  if (same && !hasChanges(changes)) return { changed: false, ...finalFields(path, st, checksum), path };
  const done = await ctx.change(`place ${path}`, async (host): Promise<ModuleResult> => {
    if (same) {
      const after = await fixAttrs(host, path, attrCommands(path, changes));
      if (typeof after === 'string') return { changed: false, failed: true, msg: after, dest: path };
      const out: ModuleResult = { changed: true, ...finalFields(path, after, checksum), path };
      return { ...out, ...ctx.diffs.of(() => attrsOnlyDiff(path, st as RemoteStat, after)) };
    }
    if (t.mkdir) await host.exec(sh`mkdir -p -- ${dirname(path)}`);
    const w = await atomicWrite(host, { dest: path, data: o.data, existing, changes, validate: o.validate, backup: o.backup });
    if (!w.ok) return { changed: false, failed: true, msg: w.msg, rc: w.rc, stdout: w.stdout, stderr: w.stderr, exit_status: w.rc };
    const out: ModuleResult = { changed: true, ...finalFields(path, w.after, checksum), md5sum: md5(o.data), src: o.srcLabel };
    if (w.backupFile !== undefined) out.backup_file = w.backupFile;
    return { ...out, ...ctx.diffs.of(() => textDiff(path, st, o)) };
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
