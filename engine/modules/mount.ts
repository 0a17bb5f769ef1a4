import { joinArgv, sh } from '../transport/shell.js';
import { runScript } from './remote-file/exec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, STR, STR_OR_NUM, str } from './remote-file/args.js';
import { parseProbe, probeScript, type ProbeResult } from './remote-file/probe.js';
import { atomicWrite } from './remote-file/write.js';
import { contentDiff } from './remote-file/diff.js';
import { setMount, unsetMount, type FstabEntry } from './system/fstab.js';
import { errText, failed } from './system/result.js';
import { parseSections, section, sectionText } from './system/sections.js';

const STATES = ['absent', 'absent_from_fstab', 'mounted', 'present', 'unmounted', 'remounted', 'ephemeral'] as const;
type State = (typeof STATES)[number];

export const mountSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['state'],
  properties: {
    path: STR, name: STR, src: STR, fstype: STR, opts: STR, dump: STR_OR_NUM, passno: STR_OR_NUM,
    state: { enum: STATES }, fstab: STR, boot: BOOL, backup: BOOL,
  },
  oneOf: [{ required: ['path'] }, { required: ['name'] }],
} as const;

interface Probed {
  readonly fstab: ProbeResult;
  readonly text: string;
  readonly mounted: boolean;
  readonly pathExists: boolean;
}

/** ONE round trip: the fstab bytes and whether path is a mount point now. */
async function probe(ctx: ModuleContext, path: string, fstab: string): Promise<Probed> {
  const script = [
    section('mounted', sh`findmnt -n --mountpoint ${path} >/dev/null 2>&1 && echo yes || echo no`),
    section('exists', sh`[ -e ${path} ] && echo yes || echo no`),
    section('fstab', probeScript([{ path: fstab, content: true, follow: true }])),
  ].join('\n');
  const sec = parseSections((await runScript(ctx, script)).stdout);
  const [st] = parseProbe([{ path: fstab }], sec.get('fstab') ?? '');
  return {
    fstab: st!, text: st!.exists && st!.content !== undefined ? st!.content.toString('utf8') : '',
    mounted: sectionText(sec, 'mounted') === 'yes', pathExists: sectionText(sec, 'exists') === 'yes',
  };
}

function mountCmd(path: string, fstab: string, extra: string[] = []): string {
  return joinArgv(['mount', ...extra, ...(fstab === '/etc/fstab' ? [] : ['-T', fstab]), path]);
}

interface Plan { readonly newText?: string; readonly cmds: string[]; readonly changed: boolean }

/** ansible.posix.mount main(), as data: the fstab to write and the commands to run. */
function plan(state: State, e: FstabEntry, fstab: string, p: Probed): Plan | string {
  const path = e.name;
  switch (state) {
    case 'present': case 'mounted': case 'ephemeral': {
      if (e.src === '' || e.fstype === '') return `state is ${state} but all of the following are missing: ${[e.src === '' ? 'src' : '', e.fstype === '' ? 'fstype' : ''].filter(Boolean).join(', ')}`;
      const s = state === 'ephemeral' ? { text: p.text, changed: false } : setMount(p.text, e);
      const newText = s.changed ? s.text : undefined;
      if (state === 'present') return { newText, cmds: [], changed: s.changed };
      const cmds = p.pathExists ? [] : [joinArgv(['mkdir', '-p', path])];
      if (!p.mounted) cmds.push(state === 'ephemeral' ? joinArgv(['mount', '-t', e.fstype, '-o', e.opts, e.src, path]) : mountCmd(path, fstab));
      else if (s.changed) cmds.push(mountCmd(path, fstab, ['-o', `remount,${e.opts}`]));
      return { newText, cmds, changed: s.changed || !p.mounted };
    }
    case 'absent': case 'absent_from_fstab': {
      const u = unsetMount(p.text, path);
      const cmds = state === 'absent' && u.changed ? [...(p.mounted ? [joinArgv(['umount', path])] : []), sh`if [ -e ${path} ]; then rmdir -- ${path}; fi`] : [];
      return { newText: u.changed ? u.text : undefined, cmds, changed: u.changed };
    }
    case 'unmounted':
      return { cmds: p.mounted ? [joinArgv(['umount', path])] : [], changed: p.mounted };
    case 'remounted':
      return { cmds: [mountCmd(path, fstab, ['-o', e.opts === 'defaults' ? 'remount' : `remount,${e.opts}`])], changed: true };
  }
}

function entry(a: Readonly<Record<string, unknown>>, path: string): FstabEntry {
  let opts = str(a.opts) ?? 'defaults';
  // like ansible: boot=false on Linux means noauto
  if (!bool(a.boot, true) && !opts.split(',').includes('noauto')) opts = opts === 'defaults' ? 'noauto' : `${opts},noauto`;
  return { src: str(a.src) ?? '', name: path, fstype: str(a.fstype) ?? '', opts, dump: str(a.dump) ?? '0', passno: str(a.passno) ?? '0' };
}

/** ansible.posix.mount: fstab entries and live mounts; fstab= lets tests use their own file. */
export const mount: ModuleDef = {
  name: 'mount',
  aliases: ['ansible.posix.mount'],
  schema: mountSchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const path = (str(a.path) ?? str(a.name)!).replace(/(.)\/+$/, '$1');
    const fstab = str(a.fstab) ?? '/etc/fstab';
    const state = str(a.state) as State;
    const e = entry(a, path);
    const p = await probe(ctx, path, fstab);
    const pl = plan(state, e, fstab, p);
    if (typeof pl === 'string') return failed(pl);
    // like ansible: the module's args echoed back (boot as 'yes'/'no', src/fstype only when given)
    const out: ModuleResult = { changed: pl.changed, name: path, opts: e.opts, dump: e.dump, passno: e.passno, fstab, boot: bool(a.boot, true) ? 'yes' : 'no', backup_file: '' };
    if (a.src !== undefined) out.src = e.src;
    if (a.fstype !== undefined) out.fstype = e.fstype;
    Object.assign(out, ctx.diffs.of(() => (pl.newText === undefined ? undefined : contentDiff(fstab, p.text, pl.newText))));
    if (!pl.changed) return out;
    const done = await ctx.change(`${state} ${path}`, async (host): Promise<ModuleResult> => {
      if (pl.newText !== undefined) {
        const w = await atomicWrite(host, { dest: fstab, data: Buffer.from(pl.newText), existing: p.fstab.exists ? p.fstab : undefined, changes: {}, backup: bool(a.backup, false) });
        if (!w.ok) return failed(`Failed to write ${fstab}: ${w.msg}`, out);
        if (w.backupFile !== undefined) out.backup_file = w.backupFile;
      }
      if (pl.cmds.length === 0) return out;
      const res = await host.exec(pl.cmds.join(' &&\n'));
      if (res.rc !== 0) return failed(`Error ${state === 'unmounted' || state === 'absent' ? 'unmounting' : 'mounting'} ${path}: ${errText(res)}`, out);
      return out;
    });
    return done.value ?? out;
  },
};
