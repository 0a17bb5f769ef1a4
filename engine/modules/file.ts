import { ModuleArgsError } from '../errors/index.js';
import { sh, verbatim } from '../transport/shell.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { aliased, bool, BOOL, FILE_ATTR_PROPS, requireOneOf, STR, str } from './remote-file/args.js';
import { attrChanges, attrCommands, fileResultFields, hasChanges, idLookupFailure, readAttrArgs, type AttrChanges } from './remote-file/attrs.js';
import { attrDiff } from './remote-file/diff.js';
import { absentStepStatus, ifAbsent, probeAfter, runScript } from './remote-file/exec.js';
import { expandUser } from './remote-file/home.js';
import { formatMode } from './remote-file/mode.js';
import { parseProbe, probeScript, type ProbeItem, type ProbeResult, type RemoteStat } from './remote-file/probe.js';

const STATES = ['file', 'directory', 'link', 'hard', 'touch', 'absent'] as const;
type State = (typeof STATES)[number];

export const fileSchema = {
  type: 'object',
  additionalProperties: false,
  ...requireOneOf(['path', 'dest', 'name']),
  properties: {
    path: STR, dest: STR, name: STR, state: { enum: STATES }, src: STR, recurse: BOOL, force: BOOL, follow: BOOL,
    modification_time: STR, modification_time_format: STR, access_time: STR, access_time_format: STR,
    _diff_peek: STR, _original_basename: STR, ...FILE_ATTR_PROPS,
  },
} as const;

/** The parts of a decision: shell commands to run and the before/after for diff. */
interface Plan {
  readonly cmds: string[];
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
  /** touch is always "changed", like ansible (unless both times are preserved on an existing file). */
  readonly forceChanged?: boolean;
  readonly fail?: ModuleResult;
}

function stateOf(st: ProbeResult): string {
  if (!st.exists) return 'absent';
  if (st.type === 'link') return 'link';
  if (st.type === 'directory') return 'directory';
  return st.nlink > 1 ? 'hard' : 'file';
}

function attrPlan(path: string, st: RemoteStat | undefined, changes: AttrChanges, noFollow: boolean, base: Plan): Plan {
  const cmds = [...base.cmds, ...attrCommands(path, changes, noFollow)];
  const before = { ...base.before };
  const after = { ...base.after };
  if (changes.mode !== undefined) { before.mode = formatMode(st?.mode ?? 0o755); after.mode = formatMode(changes.mode); }
  if (changes.owner !== undefined) { before.owner = st?.uid; after.owner = changes.owner; }
  if (changes.group !== undefined) { before.group = st?.gid; after.group = changes.group; }
  return { ...base, cmds, before, after };
}

/** `touch -t` stamps for modification_time/access_time ('now', 'preserve' or a formatted time). */
function touchCmds(path: string, a: Readonly<Record<string, unknown>>, existed: boolean): { cmds: string[]; changes: boolean } {
  const m = str(a.modification_time) ?? 'now';
  const at = str(a.access_time) ?? 'now';
  if (m === 'preserve' && at === 'preserve' && existed) return { cmds: [], changes: false };
  const cmds = existed ? [] : [sh`touch -- ${path}`];
  const stamp = (v: string, flag: string): void => {
    if (v === 'now') cmds.push(sh`touch ${flag} -- ${path}`);
    else if (v !== 'preserve') cmds.push(sh`touch ${flag} -t ${v} -- ${path}`);
  };
  stamp(m, '-m');
  stamp(at, '-a');
  return { cmds, changes: true };
}

function planLink(path: string, st: ProbeResult, srcSt: ProbeResult | undefined, a: Readonly<Record<string, unknown>>, state: 'link' | 'hard'): Plan {
  const src = str(a.src);
  const fail = (msg: string): Plan => ({ cmds: [], before: {}, after: {}, fail: { changed: false, failed: true, msg, path } });
  // Like ansible: an existing hard link needs no src (a file without state: on one lands here).
  if (src === undefined && state === 'hard' && stateOf(st) === 'hard') return { cmds: [], before: { path }, after: { path } };
  if (src === undefined) return fail(`src is required for creating new ${state === 'link' ? 'symlinks' : 'hard links'}`);
  // like ansible's ensure_symlink: a missing source fails (also in check mode) unless force
  if (state === 'link' && srcSt !== undefined && !srcSt.exists && !bool(a.force, false)) {
    return { cmds: [], before: {}, after: {}, fail: { changed: false, failed: true, msg: `src file does not exist, use "force=yes" if you really want to create the link: ${srcSt.path}`, path, src } };
  }
  const ok = state === 'link' ? st.exists && st.type === 'link' && st.linkTarget === src
    : st.exists && srcSt !== undefined && srcSt.exists && st.inode === srcSt.inode && st.dev === srcSt.dev;
  const base = { before: { path, state: stateOf(st) }, after: { path, state } };
  if (ok) return { cmds: [], before: { path }, after: { path } };
  if (state === 'hard' && (srcSt === undefined || !srcSt.exists)) return fail(`src does not exist`);
  if (st.exists && st.type !== 'link' && !bool(a.force, false) && (state === 'link' || st.type === 'directory')) {
    return fail(`refusing to convert from ${stateOf(st)} to ${state === 'link' ? 'symlink' : 'hard link'} for ${path}`);
  }
  const ln = state === 'link' ? sh`ln -sfn -- ${src} ${path}` : sh`ln -f -- ${src} ${path}`;
  return { ...base, cmds: [st.exists && st.type === 'directory' ? sh`rmdir -- ${path}` : 'true', ln] };
}

function planFor(state: State, path: string, st: ProbeResult, srcSt: ProbeResult | undefined, ctx: ModuleContext): Plan {
  const a = ctx.args;
  const fail = (msg: string): Plan => ({ cmds: [], before: {}, after: {}, fail: { changed: false, failed: true, msg, path, state: stateOf(st) } });
  const have = st.exists ? st : undefined;
  switch (state) {
    case 'absent':
      return st.exists ? { cmds: [sh`rm -rf -- ${path}`], before: { path, state: stateOf(st) }, after: { path, state: 'absent' } } : { cmds: [], before: {}, after: {} };
    case 'directory': {
      if (st.exists && st.type !== 'directory') return fail(`${path} already exists as a ${st.type}`);
      const changes = attrChanges(readAttrArgs(a), have, true, 0o755);
      if (st.exists) return attrPlan(path, have, changes, false, { cmds: [], before: { path }, after: { path } });
      // a mode alone goes to mkdir itself (-m sets it exactly): the folder never has another, one program less
      const modeOnly = changes.mode !== undefined && changes.owner === undefined && changes.group === undefined;
      const mk = modeOnly ? sh`mkdir -p -m ${formatMode(changes.mode!)} -- ${path}` : sh`mkdir -p -- ${path}`;
      const plan = attrPlan(path, have, changes, false, { cmds: [mk], before: { path, state: 'absent' }, after: { path, state: 'directory' } });
      return modeOnly ? { ...plan, cmds: [mk] } : plan;
    }
    case 'file':
      if (!st.exists) return fail(`file (${path}) is absent, cannot continue`);
      if (st.type === 'directory') return fail(`file (${path}) is directory, cannot continue`);
      return attrPlan(path, st, attrChanges(readAttrArgs(a), st, false), false, { cmds: [], before: { path }, after: { path } });
    case 'touch': {
      const t = touchCmds(path, a, st.exists);
      const base = { cmds: t.cmds, before: { path, state: stateOf(st) }, after: { path, state: 'touch' }, forceChanged: t.changes };
      return attrPlan(path, have, attrChanges(readAttrArgs(a), have, st.exists && st.type === 'directory'), false, base);
    }
    case 'link':
    case 'hard': {
      const base = planLink(path, st, srcSt, a, state);
      if (base.fail !== undefined) return base;
      const cur = base.cmds.length === 0 ? have : undefined;
      return attrPlan(path, cur, attrChanges({ ...readAttrArgs(a), mode: state === 'link' ? undefined : a.mode }, cur, false), state === 'link', base);
    }
  }
}

/**
 * Like ansible's ensure_symlink: a link (followed, the default) to a target that does not
 * exist gets no attributes and no path information, but a warning.
 */
function danglingLink(state: State, srcSt: ProbeResult | undefined, a: Readonly<Record<string, unknown>>): boolean {
  return state === 'link' && srcSt !== undefined && !srcSt.exists && bool(a.follow, true);
}

const DANGLING_WARNING = 'Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.';

/** Ansible's result shape: touch/link/hard name the path `dest`, others `path`. */
function result(state: State, path: string, after: ProbeResult, changed: boolean, a: Readonly<Record<string, unknown>>, srcSt?: ProbeResult): ModuleResult {
  const src = str(a.src) ?? null;
  if (danglingLink(state, srcSt, a)) return { changed, dest: path, src, warnings: [DANGLING_WARNING] };
  // Like ansible: what check mode would create is reported without a stat (links: dest and
  // src, touch: dest, directory: path).
  if (!after.exists && (state === 'link' || state === 'hard')) return { changed, dest: path, src };
  if (!after.exists && state === 'touch') return { changed, dest: path };
  if (!after.exists && state === 'directory') return { changed, path };
  if (!after.exists) return { changed, path, state: 'absent' };
  const fields = fileResultFields(after);
  if (state === 'touch') return { changed, dest: path, ...fields };
  if (state === 'link' || state === 'hard') return { changed, dest: path, src, ...fields, state };
  return { changed, path, ...fields };
}

function recurseCmds(path: string, ctx: ModuleContext): string[] {
  const a = readAttrArgs(ctx.args);
  const out: string[] = [];
  if (a.owner !== undefined) out.push(sh`chown -R ${a.owner} -- ${path}`);
  if (a.group !== undefined) out.push(sh`chgrp -R ${a.group} -- ${path}`);
  if (a.mode !== undefined) out.push(sh`chmod -R ${typeof a.mode === 'number' ? formatMode(a.mode) : String(a.mode)} -- ${path}`);
  return out;
}

/** ansible.builtin.file: probe once, decide, then one exec that applies and re-stats. */
export const file: ModuleDef = {
  name: 'file',
  schema: fileSchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const path = await expandUser(ctx, aliased(a, ['path', 'dest', 'name'])!);
    const src = str(a.src);
    const ids = a.state === 'absent' ? undefined : readAttrArgs(a);
    const items: ProbeItem[] = [{ path, follow: bool(a.follow, true) && a.state !== 'link' && a.state !== 'absent' && a.state !== 'hard', ids }];
    const recurse = bool(a.recurse, false);
    // like ansible: a relative src is relative to the link's folder; os.path.exists follows links for state=link
    if ((a.state === 'hard' || a.state === 'link') && src !== undefined) items.push({ path: src.startsWith('/') ? src : `${path.replace(/[^/]*$/, '')}${src}`, follow: a.state === 'link' });
    const early = a.state === 'directory' && !recurse ? mkdirIfAbsent(ctx, path) : undefined;
    const { results: [st, srcSt], head, stderr } = await probeAfter(ctx, early?.script ?? '', items);
    const made = absentStepStatus(head);
    if (early !== undefined && made !== undefined) {
      if (made !== 0) return { changed: false, failed: true, msg: stderr.trim(), path };
      return { ...result('directory', path, st!, true, a), ...ctx.diffs.of(() => attrDiff(early.plan.before, early.plan.after)) };
    }
    // Like ansible: no state means the current one ('hard' for a file with several links),
    // 'directory' for a missing path with recurse, else 'file'.
    const current = stateOf(st!);
    const state: State = (str(a.state) as State | undefined) ?? (current !== 'absent' ? current as State : recurse ? 'directory' : 'file');
    if (recurse && state !== 'directory') throw new ModuleArgsError('recurse option requires state to be directory', { where: ctx.loc });
    const plan = planFor(state, path, st!, srcSt, ctx);
    if (plan.fail !== undefined) return plan.fail;
    const idFail = st!.exists && ids !== undefined ? idLookupFailure(ids, st!) : undefined;
    if (idFail !== undefined && st!.exists) return { changed: false, failed: true, msg: idFail, path, ...fileResultFields(st!) };
    const extra = recurse ? await recurseDrift(ctx, path) : [];
    const changed = plan.cmds.length > 0 || extra.length > 0 || plan.forceChanged === true;
    const diff = ctx.diffs.of(() => attrDiff(plan.before, plan.after));
    if (!changed) return { ...result(state, path, st!, changed, a, srcSt), ...diff };
    const done = await ctx.change(`make ${path} ${state}`, ['set -e', ...plan.cmds, ...extra, probeScript([{ path, follow: state !== 'link' }])].join('\n'));
    if (!done.applied) return { ...result(state, path, predicted(st!, state, path), changed, a, srcSt), ...diff };
    const res = done.value;
    if (res.rc !== 0) return { changed: false, failed: true, msg: res.stderr.trim(), path };
    const [after] = parseProbe([{ path }], res.stdout);
    return { ...result(state, path, after!, true, a, srcSt), ...diff };
  },
};

/**
 * Like copy's first run: a missing folder needs no decision of the controller beyond what it
 * knows already, so it is made in the probe's own round trip (past the gate); the plan is the
 * one a probe answering "absent" would give.
 */
function mkdirIfAbsent(ctx: ModuleContext, path: string): { script: string; plan: Plan } | undefined {
  const plan = planFor('directory', path, { exists: false, path }, undefined, ctx);
  if (plan.fail !== undefined || !ctx.mayChange(`make ${path} directory if it is absent`)) return undefined;
  return { script: ifAbsent(path, ['set -e', ...plan.cmds].join('\n')), plan };
}

/** Check-mode stand-in for the after-state (absent when removing, the old stat otherwise). */
function predicted(st: ProbeResult, state: State, path: string): ProbeResult {
  if (state === 'absent') return { exists: false, path };
  return st;
}

/** recurse: finds children whose owner/group/mode differ, in one exec (extra trip only with recurse). */
async function recurseDrift(ctx: ModuleContext, path: string): Promise<string[]> {
  const a = readAttrArgs(ctx.args);
  const tests: string[] = [];
  if (a.owner !== undefined) tests.push(/^\d+$/.test(a.owner) ? `! -uid ${a.owner}` : sh`! -user ${a.owner}`);
  if (a.group !== undefined) tests.push(/^\d+$/.test(a.group) ? `! -gid ${a.group}` : sh`! -group ${a.group}`);
  if (typeof a.mode === 'number' || /^[0-7]+$/.test(String(a.mode ?? 'x'))) tests.push(`! -perm ${typeof a.mode === 'number' ? formatMode(a.mode) : String(a.mode)}`);
  else if (a.mode !== undefined) tests.push(sh`! -perm ${String(a.mode)}`);
  if (tests.length === 0) return [];
  const res = await runScript(ctx, sh`find ${path} -mindepth 1 \\( ${verbatim(tests.join(' -o '))} \\) -print -quit`);
  return res.stdout.trim() === '' ? [] : recurseCmds(path, ctx);
}
