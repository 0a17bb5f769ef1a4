import { runScript } from './remote-file/exec.js';
import { ModuleArgsError } from '../errors/index.js';
import { execFile } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { joinArgv, sh, verbatim } from '../transport/shell.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, FILE_ATTR_PROPS, list, STR, STR_LIST, str } from './remote-file/args.js';
import { fileResultFields } from './remote-file/attrs.js';
import { basename } from './remote-file/exec.js';
import { formatMode, resolveMode } from './remote-file/mode.js';
import { parseProbe, probeScript, type RemoteStat } from './remote-file/probe.js';
import { filterMembers, formatOf, handlerName, isUnarchived, parseStatLines, parseTarListing, parseZipListing, type ArchiveMember } from './system/archive.js';
import { fnmatch } from '../python/fnmatch.js';
import { failed } from './system/result.js';
import { parseSections, section, sectionText } from './system/sections.js';

const run = promisify(execFile);

export const unarchiveSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['src', 'dest'],
  properties: {
    src: STR, dest: STR, remote_src: BOOL, copy: BOOL, creates: STR, list_files: BOOL, extra_opts: STR_LIST, include: STR_LIST, exclude: STR_LIST,
    keep_newer: BOOL, validate_certs: BOOL, io_buffer_size: { type: ['integer', 'string'] }, decrypt: BOOL, ...FILE_ATTR_PROPS,
  },
} as const;

interface Opts {
  readonly src: string;
  readonly dest: string;
  readonly handler: string;
  readonly extra: string[];
  readonly strip: number;
  readonly include: string[];
  readonly exclude: string[];
  readonly keepNewer: boolean;
}

function stripOf(extra: readonly string[]): number {
  for (let i = 0; i < extra.length; i++) {
    const m = /^--strip-components(?:=(\d+))?$/.exec(extra[i]!);
    if (m) return Number(m[1] ?? extra[i + 1] ?? 0);
  }
  return 0;
}

const TAR_LIST = ['tar', '-tv', '--full-time', '--numeric-owner', '--quoting-style=literal', '-f'];

/** Lists a controller-side archive with the controller's tar/unzip. */
async function listLocal(path: string, o: Opts): Promise<ArchiveMember[]> {
  if (formatOf(o.handler) === 'zip') return parseZipListing((await run('unzip', ['-l', path], { maxBuffer: 64 << 20 })).stdout, o.strip);
  return parseTarListing((await run(TAR_LIST[0]!, [...TAR_LIST.slice(1), path], { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 << 20 })).stdout, o.strip);
}

/** Shell: stat every member under dest, names read from a here-doc (no argv limit). */
function statMembers(dest: string, members: readonly ArchiveMember[]): string {
  if (members.length === 0) return 'true';
  const names = members.map((m) => m.path).join('\n');
  return sh`cd ${dest} 2>/dev/null && xargs -r -d '\\n' stat -c '%s|%Y|%F|%U|%G|%a|%n' -- 2>/dev/null <<'@@TSPLAY-EOF'\n${verbatim(names)}\n@@TSPLAY-EOF\ntrue`;
}

/** Shell: list a host-side archive (remote_src) in the same round trip. */
function listRemote(o: Opts): string {
  if (formatOf(o.handler) === 'zip') return sh`unzip -l ${o.src} 2>&1 || echo "@@failed"`;
  return `TZ=UTC ${joinArgv([...TAR_LIST, o.src])} 2>&1 || echo "@@failed"`;
}

function extractCmd(o: Opts, archive: string): string[] {
  if (formatOf(o.handler) === 'zip') {
    return ['unzip', '-o', archive, ...o.include, ...(o.exclude.length > 0 ? ['-x', ...o.exclude] : []), ...o.extra, '-d', o.dest];
  }
  const z = { TgzArchive: ['-z'], TarBzipArchive: ['-j'], TarXzArchive: ['-J'], TarZstdArchive: ['--zstd'] }[o.handler] ?? [];
  return ['tar', '--extract', '-C', o.dest, ...z, ...(o.keepNewer ? ['--keep-newer-files'] : []), ...o.extra, ...o.exclude.map((e) => `--exclude=${e}`), '-f', archive, ...o.include];
}

/** Attribute commands over the extracted top-level entries (ansible sets them on every file). */
function attrScript(ctx: ModuleContext, o: Opts, members: readonly ArchiveMember[]): string {
  const a = ctx.args;
  const tops = [...new Set(members.map((m) => m.path.split('/')[0]!))].map((t) => `${o.dest.replace(/\/+$/, '')}/${t}`);
  if (tops.length === 0) return '';
  const cmds: string[] = [];
  const owner = str(a.owner);
  const group = str(a.group);
  if (owner !== undefined || group !== undefined) cmds.push(joinArgv(['chown', '-R', `${owner ?? ''}${group === undefined ? '' : `:${group}`}`, '--', ...tops]));
  if (a.mode !== undefined && a.mode !== null) {
    const m = typeof a.mode === 'string' && !/^[0-7]+$/.test(a.mode) ? a.mode : formatMode(resolveMode(a.mode, 0o644, false));
    cmds.push(joinArgv(['chmod', '-R', m, '--', ...tops]));
  }
  return cmds.join(' && ');
}

interface Probed { readonly skip?: string; readonly destIsDir: boolean; readonly srcMissing: boolean; readonly members: ArchiveMember[]; readonly done: boolean; readonly destSt: ReturnType<typeof parseProbe>[number] }

/** ONE round trip: creates, dest, (remote_src: the listing), and the members on disk. */
async function probe(ctx: ModuleContext, o: Opts, local: ArchiveMember[] | undefined): Promise<Probed | string> {
  const creates = str(ctx.args.creates);
  const remote = local === undefined;
  const parts = [
    creates === undefined ? '' : sh`if [ -e ${creates} ]; then ${verbatim(section('skip', 'echo yes'))}\nexit 0; fi`,
    section('dest', probeScript([{ path: o.dest, follow: true }])),
    remote ? section('src', sh`[ -e ${o.src} ] && echo yes || echo no`) : '',
    remote ? section('list', listRemote(o)) : '',
    // for remote_src the member names are only known after the listing: stat them by name from it
    remote ? section('stat', formatOf(o.handler) === 'zip'
      ? sh`cd ${o.dest} 2>/dev/null && unzip -Z1 ${o.src} 2>/dev/null | sed 's|/$||' | xargs -r -d '\\n' stat -c '%s|%Y|%F|%U|%G|%a|%n' -- 2>/dev/null; true`
      : sh`cd ${o.dest} 2>/dev/null && tar -tf ${o.src} 2>/dev/null | sed -e 's|^\\./||' -e 's|/$||' | ${verbatim(o.strip > 0 ? `cut -s -d/ -f${o.strip + 1}- | ` : '')} grep -v '^$' | xargs -r -d '\\n' stat -c '%s|%Y|%F|%U|%G|%a|%n' -- 2>/dev/null; true`)
      : section('stat', statMembers(o.dest, filterMembers(local, o.include, o.exclude, fnmatch))),
  ].filter((p) => p !== '');
  const res = await runScript(ctx, parts.join('\n'));
  const sec = parseSections(res.stdout);
  if (sec.has('skip')) return { skip: creates, destIsDir: true, srcMissing: false, members: [], done: true, destSt: { exists: false, path: o.dest } };
  const [destSt] = parseProbe([{ path: o.dest }], sec.get('dest') ?? '');
  let members = local ?? [];
  if (remote) {
    const text = sectionText(sec, 'list');
    if (sectionText(sec, 'src') !== 'yes') return { destIsDir: destSt!.exists && destSt!.type === 'directory', srcMissing: true, members: [], done: false, destSt: destSt! };
    if (text.includes('@@failed')) return `Failed to find handler for "${o.src}". Make sure the required command to extract the file is installed.\n${text.replace('@@failed', '').trim()}`;
    members = formatOf(o.handler) === 'zip' ? parseZipListing(text, o.strip) : parseTarListing(text, o.strip);
  }
  members = filterMembers(members, o.include, o.exclude, fnmatch);
  const want = { owner: str(ctx.args.owner), group: str(ctx.args.group) };
  const done = isUnarchived(members, parseStatLines(sectionText(sec, 'stat')), want);
  return { destIsDir: destSt!.exists && destSt!.type === 'directory', srcMissing: false, members, done, destSt: destSt! };
}

/** The extract command's own output, and dest's state probed after it. */
function splitAfter(stdout: string): [string, RemoteStat | undefined] {
  const sec = parseSections(stdout);
  const marker = stdout.indexOf('@@TSPLAY-SEC after');
  const own = marker >= 0 ? stdout.slice(0, marker) : stdout;
  return [own, sec.has('after') ? (parseProbe([{ path: '' }], sec.get('after') ?? '')[0] as RemoteStat | undefined) : undefined];
}

async function extract(ctx: ModuleContext, o: Opts, members: readonly ArchiveMember[], data: Buffer | undefined): Promise<{ rc: number; out: string; err: string; cmd: string[]; after?: RemoteStat }> {
  const tmp = `${o.dest.replace(/\/+$/, '')}/.tsplay-archive-${process.pid}-${Date.now()}`;
  const archive = data === undefined ? o.src : tmp;
  const cmd = extractCmd(o, archive);
  const attrs = attrScript(ctx, o, members);
  // the temp name goes through a variable: quoting it inside the trap's own quotes breaks on blanks
  const lines = data === undefined ? [] : [sh`tsplay_tmp=${tmp}`, `trap 'rm -f -- "$tsplay_tmp"' EXIT`, 'cat > "$tsplay_tmp" || exit 1'];
  // dest is probed again afterwards: ansible reports its state after extraction
  lines.push(`${joinArgv(cmd)} || exit $?`, attrs, section('after', probeScript([{ path: o.dest, follow: true }])));
  const res = await runScript(ctx, lines.filter((l) => l !== '').join('\n'), data);
  const [out, after] = splitAfter(res.stdout);
  return { rc: res.rc, out, err: res.stderr, cmd, after };
}

/** ansible.builtin.unarchive: compares the archive listing with the disk; extracts only on a difference. */
export const unarchive: ModuleDef = {
  name: 'unarchive',
  schema: unarchiveSchema,
  // like ansible 2.14 with GNU tar: no check mode, the task is skipped
  supportsCheck: false,
  checkSkipMsg: 'remote module (unarchive) does not support check mode when using gtar',
  async run(ctx) {
    const a = ctx.args;
    const remote = bool(a.remote_src, a.copy === undefined ? false : !bool(a.copy, true));
    const src = str(a.src)!;
    if (src.includes('://')) throw new ModuleArgsError('tsplay: unarchive of a URL is not supported; fetch it with get_url, then unarchive with remote_src', { where: ctx.loc });
    const localPath = remote ? undefined : ctx.findFile('files', src);
    let head: Buffer | undefined;
    if (localPath !== undefined) { const fh = await open(localPath, 'r'); try { head = Buffer.alloc(8); await fh.read(head, 0, 8, 0); } finally { await fh.close(); } }
    const extra = list(a.extra_opts);
    const o: Opts = { src: localPath ?? src, dest: str(a.dest)!, handler: handlerName(src, head), extra, strip: stripOf(extra), include: list(a.include), exclude: list(a.exclude), keepNewer: bool(a.keep_newer, false) };
    const local = localPath === undefined ? undefined : await listLocal(localPath, o).catch((e: Error) => e);
    if (local instanceof Error) return failed(`Failed to find handler for "${src}": ${local.message}`);
    const p = await probe(ctx, o, local);
    if (typeof p === 'string') return failed(p);
    if (p.skip !== undefined) return { changed: false, skipped: true, msg: `skipped, since ${p.skip} exists` };
    if (!p.destIsDir) return failed(`dest '${o.dest}' must be an existing dir`);
    if (p.srcMissing) return failed(`Source '${src}' does not exist`);
    const base: ModuleResult = { changed: !p.done, dest: o.dest, src: o.src, handler: o.handler, ...(p.destSt.exists ? fileResultFields(p.destSt) : {}) };
    if (bool(a.list_files, false)) base.files = p.members.map((m) => m.path);
    if (p.done) return base;
    const done = await ctx.change(`extract ${basename(o.src)} into ${o.dest}`, async () => extract(ctx, o, p.members, localPath === undefined ? undefined : await readFile(localPath)));
    if (!done.applied) return base;
    const r = done.value;
    const extract_results = { cmd: r.cmd, rc: r.rc, out: r.out, err: r.err };
    if (r.rc !== 0) {
      const missing = /unzip: not found|unzip: command not found|xz: Cannot exec|Cannot exec|not found/.test(r.err) ? ' (is the decompressor installed on the host?)' : '';
      return failed(`failed to unpack ${basename(o.src)} to ${o.dest}${missing}`, { ...base, changed: false, extract_results });
    }
    return { ...base, ...(r.after?.exists ? fileResultFields(r.after) : {}), extract_results };
  },
};
