import type { ModuleContext } from '../../types/module.js';
import { sh, verbatim } from '../../transport/shell.js';
import type { AttrChanges } from './attrs.js';
import { builtinReadable, type RemoteStat } from './probe.js';
import { inlineable } from './write.js';

/**
 * A regular file as this run last saw it (a probe read it) or left it (its own write), with the
 * text and the attributes an edit plans from. A hypothesis only: guardedWrite checks it on the
 * host before anything is written.
 */
export interface KnownFile {
  readonly path: string;
  /** The bytes as text (guardable: UTF-8 exactly); a string, not a Buffer from the shared pool. */
  readonly text: string;
  /** mode, uid, gid, owner, group and size are what the guard checks; the rest is as last probed. */
  readonly stat: RemoteStat;
}

const NOTE = 'remote-file:edited';

/** The host's note on path, when its last edit was of that file. */
export function recallFile(ctx: ModuleContext, path: string): KnownFile | undefined {
  const known = ctx.notes?.recall(NOTE) as KnownFile | undefined;
  return known?.path === path ? known : undefined;
}

/** Notes what the file now is; undefined forgets it (a write failed, or left ids not known). */
export function noteFile(ctx: ModuleContext, known: KnownFile | undefined): void {
  ctx.notes?.note(NOTE, known);
}

/** A probed regular file with its text, small enough for a guard to carry: a note. */
export function seenFile(st: RemoteStat | undefined): KnownFile | undefined {
  if (st === undefined || st.type !== 'file' || st.content === undefined || !guardable(st.content)) return undefined;
  return { path: st.path, text: st.content.toString('utf8'), stat: { ...st, content: undefined } };
}

/**
 * The file as our own write leaves it (writePlan's keepAttrs): the old mode and ids unless
 * changed, the new size. A new owner or group is a name the controller cannot turn into an id:
 * no note then. A prediction may be wrong (a chown refused to a login user): the next guard
 * then finds out, and the edit goes the long way.
 */
export function leftFile(before: KnownFile['stat'], data: Buffer, changes: AttrChanges): KnownFile | undefined {
  if (before.type !== 'file' || changes.owner !== undefined || changes.group !== undefined || !guardable(data)) return undefined;
  return { path: before.path, text: data.toString('utf8'), stat: { ...before, mode: changes.mode ?? before.mode, size: data.length, content: undefined } };
}

/** Text the guard can compare with shell builtins and carry in its command: UTF-8 without NUL, small. */
function guardable(data: Buffer): boolean {
  return builtinReadable(data) && inlineable(data);
}

const GUARD = '@@TSPLAY-GUARD';

/**
 * Shell text that runs `write` only when path is still exactly `known`: the same type, mode,
 * owner, group and size (one `stat`), and the same bytes (read with builtins; the size check
 * catches a NUL the shell's read would drop). Otherwise it prints `fallback` (a probe) and
 * ends there, status 0, without writing. The write runs outside any condition, so its set -e
 * holds; `exit` ends only this command (each command has its own subshell or shell).
 */
export function guardedWrite(known: KnownFile, write: string, fallback: string): string {
  const p = known.path;
  const st = known.stat;
  const want = `${(0o100000 | st.mode).toString(16)}|${st.uid}|${st.gid}|${st.owner}|${st.group}|${Buffer.byteLength(known.text)}`;
  return [
    sh`tsplay_g=$(stat -c '%f|%u|%g|%U|%G|%s' -- ${p} 2>/dev/null) || tsplay_g=`,
    // `read` leaves a last line without its newline in tsplay_l when it meets the end
    sh`tsplay_c=-; if [ "x$tsplay_g" = ${`x${want}`} ]; then tsplay_c=;`,
    sh` while IFS= read -r tsplay_l; do tsplay_c="$tsplay_c$tsplay_l${verbatim('\n')}"; done < ${p} 2>/dev/null; tsplay_c="$tsplay_c$tsplay_l"; fi`,
    sh`if [ "x$tsplay_c" != ${`x${known.text}`} ]; then echo ${`${GUARD} miss`}`,
    fallback,
    'exit 0; fi',
    write,
    sh`echo ${`${GUARD} wrote`}`,
  ].join('\n');
}

/** Whether the guard let the write run (its output's last line says so). */
export function guardWrote(stdout: string): boolean {
  return new RegExp(`^${GUARD} wrote$`, 'm').test(stdout);
}
