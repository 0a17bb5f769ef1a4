import { statSync } from 'node:fs';
import { sh, verbatim } from '../../transport/shell.js';
import type { RemoteStat } from './probe.js';
import { formatMode, resolveMode } from './mode.js';

/** The common file-attribute arguments (mode, owner, group) of copy/template/file/lineinfile... */
export interface AttrArgs {
  readonly mode?: unknown;
  readonly owner?: string;
  readonly group?: string;
}

/** Attribute changes still needed on a path; empty when it already matches. */
export interface AttrChanges {
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
}

export function readAttrArgs(args: Readonly<Record<string, unknown>>): AttrArgs {
  return {
    mode: args.mode === null ? undefined : args.mode,
    owner: args.owner === undefined || args.owner === null ? undefined : String(args.owner),
    group: args.group === undefined || args.group === null ? undefined : String(args.group),
  };
}

/** like ansible's copy/template actions: mode=preserve takes the controller source file's mode. */
export function withPreservedMode(attrs: AttrArgs, srcPath: string): AttrArgs {
  if (attrs.mode !== 'preserve') return attrs;
  return { ...attrs, mode: `0${(statSync(srcPath).mode & 0o7777).toString(8).padStart(3, '0')}` };
}

function sameId(want: string, name: string, id: number): boolean {
  return /^\d+$/.test(want) ? Number(want) === id : want === name;
}

/**
 * Compares wanted attributes to the probed state. `st` undefined means the path will be
 * created: every requested attribute then counts as a change.
 */
export function attrChanges(want: AttrArgs, st: RemoteStat | undefined, isDir: boolean, baseMode = 0o644): AttrChanges {
  const current = st?.mode ?? baseMode;
  const mode = want.mode === undefined ? undefined : resolveMode(want.mode, current, isDir);
  return {
    mode: mode !== undefined && (st === undefined || mode !== st.mode) ? mode : undefined,
    owner: want.owner !== undefined && (st === undefined || !sameId(want.owner, st.owner, st.uid)) ? want.owner : undefined,
    group: want.group !== undefined && (st === undefined || !sameId(want.group, st.group, st.gid)) ? want.group : undefined,
  };
}

/**
 * Like ansible's set_owner_if_different / set_group_if_different on an existing path: a name
 * the host does not know fails the task, in check mode too (owner first).
 */
export function idLookupFailure(want: AttrArgs, st: RemoteStat): string | undefined {
  if (st.unknownIds?.includes('owner')) return `chown failed: failed to look up user ${want.owner}`;
  if (st.unknownIds?.includes('group')) return `chgrp failed: failed to look up group ${want.group}`;
  return undefined;
}

export function hasChanges(c: AttrChanges): boolean {
  return c.mode !== undefined || c.owner !== undefined || c.group !== undefined;
}

/** Shell commands applying the changes to PATH (chown before chmod: chown clears setuid). */
export function attrCommands(path: string, c: AttrChanges, noFollow = false): string[] {
  const h = verbatim(noFollow ? '-h ' : '');
  const out: string[] = [];
  if (c.owner !== undefined) out.push(sh`chown ${h}${c.owner} -- ${path}`);
  if (c.group !== undefined) out.push(sh`chgrp ${h}${c.group} -- ${path}`);
  if (c.mode !== undefined && !noFollow) out.push(sh`chmod ${formatMode(c.mode)} -- ${path}`);
  return out;
}

/** The attribute block ansible puts in file results: uid, gid, owner, group, mode, size, state. */
export function fileResultFields(st: RemoteStat): Record<string, unknown> {
  return {
    uid: st.uid, gid: st.gid, owner: st.owner, group: st.group, mode: formatMode(st.mode), size: st.size,
    // Like ansible's add_path_info: a regular file with more than one link is 'hard'.
    state: st.type === 'link' ? 'link' : st.type === 'directory' ? 'directory' : st.nlink > 1 ? 'hard' : 'file',
  };
}
