import { readdir, readFile, stat } from 'node:fs/promises';
import { readControllerFile } from '../source/vault-text.js';
import { join, relative } from 'node:path';
import { ModuleArgsError } from '../errors/index.js';
import { sh, verbatim } from '../transport/shell.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import { bool, BOOL, FILE_ATTR_PROPS, MODE, STR, str } from './remote-file/args.js';
import { readAttrArgs, withPreservedMode } from './remote-file/attrs.js';
import { basename, probe, runScript } from './remote-file/exec.js';
import { resolveMode, formatMode } from './remote-file/mode.js';
import { placeContent, type PlaceOptions } from './remote-file/place.js';

export const copySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dest'],
  properties: {
    src: STR, content: { type: ['string', 'number', 'boolean', 'object', 'array'] }, dest: STR, remote_src: BOOL,
    backup: BOOL, force: BOOL, validate: STR, directory_mode: MODE, follow: BOOL, local_follow: BOOL,
    decrypt: BOOL, checksum: STR, ...FILE_ATTR_PROPS,
  },
} as const;

/** `content` that is not a string is dumped as JSON, like ansible's copy action. */
function contentBytes(v: unknown): Buffer {
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8');
}

function baseOptions(ctx: ModuleContext): Omit<PlaceOptions, 'data' | 'dest'> {
  const a = ctx.args;
  return {
    attrs: readAttrArgs(a), backup: bool(a.backup, false), force: bool(a.force, true),
    validate: str(a.validate), directoryMode: a.directory_mode,
  };
}

/** Like ansible's copy: `decrypt: true` (the default) decrypts a vaulted src; false copies it as is. */
function decrypts(ctx: ModuleContext): ModuleContext['vault'] | null {
  return bool(ctx.args.decrypt, true) ? ctx.vault : null;
}

async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(root, join(e.parentPath, e.name)));
  }
  return out.sort();
}

/**
 * Directory src: with a trailing '/' its contents go into dest, otherwise the directory itself
 * (like rsync and ansible). Missing directories are created first in one exec.
 */
async function copyTree(ctx: ModuleContext, src: string, dest: string): Promise<ModuleResult> {
  const files = await listTree(src);
  const root = src.endsWith('/') ? dest.replace(/\/+$/, '') : `${dest.replace(/\/+$/, '')}/${basename(src)}`;
  const dirs = [...new Set([root, ...files.map((f) => `${root}/${f}`.replace(/\/[^/]*$/, ''))])];
  const dirSt = await probe(ctx, dirs.map((path) => ({ path })));
  const missing = dirs.filter((_, i) => !dirSt[i]!.exists);
  let changed = missing.length > 0;
  let dirsReady = true;
  if (missing.length > 0) {
    const dm = ctx.args.directory_mode === undefined ? '' : ` -m ${formatMode(resolveMode(ctx.args.directory_mode, 0o755, true))}`;
    const done = await ctx.change(`create ${missing.length} folder(s)`, sh`mkdir -p${verbatim(dm)} -- ${missing}`);
    if (done.applied && done.value.rc !== 0) return { changed: false, failed: true, msg: done.value.stderr.trim() };
    dirsReady = done.applied;
  }
  for (const f of files) {
    // in check mode, files under folders still to create would all be new
    const r = !dirsReady ? { changed: true } : await placeContent(ctx, { ...baseOptions(ctx), dest: `${root}/${f}`, data: readControllerFile(await readFile(join(src, f)), join(src, f), decrypts(ctx)), srcLabel: join(src, f) });
    if (r.failed === true) return r;
    changed ||= r.changed;
  }
  return { changed, dest: dest.endsWith('/') ? dest : `${dest}/`, src };
}

/** remote_src: the bytes come from the host itself (read in the probe, written back atomically). */
async function remoteSource(ctx: ModuleContext, src: string, dest: string): Promise<ModuleResult> {
  const [st] = await probe(ctx, [{ path: src, content: true }]);
  if (!st!.exists) return { changed: false, failed: true, msg: `Source ${src} not found` };
  if (st!.type === 'directory') return { changed: false, failed: true, msg: 'remote_src with a directory src is not supported by tsplay yet' };
  return placeContent(ctx, { ...baseOptions(ctx), dest, basename: basename(src), data: st!.content ?? Buffer.alloc(0), srcLabel: src });
}

/** ansible.builtin.copy */
export const copy: ModuleDef = {
  name: 'copy',
  schema: copySchema,
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const dest = str(a.dest)!;
    const src = str(a.src);
    if (a.content !== undefined && src !== undefined) throw new ModuleArgsError('src and content are mutually exclusive', { where: ctx.loc });
    if (a.content !== undefined) return placeContent(ctx, { ...baseOptions(ctx), dest, data: contentBytes(a.content) });
    if (src === undefined) throw new ModuleArgsError('src (or content) is required', { where: ctx.loc });
    if (bool(a.remote_src, false)) return remoteSource(ctx, src, dest);
    const local = ctx.findFile('files', src);
    const isDir = (await stat(local)).isDirectory();
    if (isDir) return copyTree(ctx, src.endsWith('/') ? `${local}/` : local, dest);
    const attrs = withPreservedMode(readAttrArgs(a), local);
    return placeContent(ctx, { ...baseOptions(ctx), attrs, dest, basename: basename(local), data: readControllerFile(await readFile(local), local, decrypts(ctx)), srcLabel: local });
  },
};
