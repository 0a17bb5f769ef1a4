import { ModuleFailure } from '../errors/index.js';
import type { ModuleDef } from '../types/module.js';
import { sh, verbatim } from '../transport/shell.js';
import { aliased, bool, BOOL, list, STR, STR_LIST, str } from './remote-file/args.js';
import { runScript } from './remote-file/exec.js';
import type { RemoteStat } from './remote-file/probe.js';
import { pyRegex } from './remote-file/pyre.js';
import { statDict } from './remote-file/statdict.js';
import { fnmatchRegex } from '../python/fnmatch.js';

const FIND_KEYS = ['atime', 'ctime', 'dev', 'gid', 'gr_name', 'inode', 'isblk', 'ischr', 'isdir', 'isfifo', 'isgid', 'islnk', 'isreg', 'issock', 'isuid', 'mode', 'mtime', 'nlink', 'path', 'pw_name', 'rgrp', 'roth', 'rusr', 'size', 'uid', 'wgrp', 'woth', 'wusr', 'xgrp', 'xoth', 'xusr', 'checksum'];
const TYPES: Readonly<Record<string, RemoteStat['type']>> = { f: 'file', d: 'directory', l: 'link', p: 'fifo', s: 'socket', c: 'chr', b: 'blk' };
const PRINTF = '%m|%U|%G|%u|%g|%s|%A@|%T@|%C@|%i|%n|%D|%b|%y|%p\\0';

function parseEntry(rec: string): RemoteStat | undefined {
  const f = rec.split('|');
  if (f.length < 15) return undefined;
  const n = (i: number): number => Number(f[i]);
  return {
    exists: true, path: f.slice(14).join('|'), type: TYPES[f[13]!] ?? 'file', mode: parseInt(f[0]!, 8),
    uid: n(1), gid: n(2), owner: f[3]!, group: f[4]!, size: n(5), atime: n(6), mtime: n(7), ctime: n(8),
    inode: n(9), nlink: n(10), dev: n(11), blocks: n(12), blockSize: 512,
  };
}

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, b: 1, k: 1024, g: 1024 ** 3, t: 1024 ** 4 };

/** '2d' / '-1w' / '10k': [magnitude, younger/smaller-than?] like ansible's agefilter/sizefilter. */
function parseAmount(v: string, sizeUnits: boolean): [number, boolean] {
  const m = /^(-?\d+)([a-zA-Z]?)$/.exec(v.trim());
  // like ansible's find: "failed to process size" with the value as its own field
  if (m === null) throw new ModuleFailure(`failed to process ${sizeUnits ? 'size' : 'age'}`, { [sizeUnits ? 'size' : 'age']: v });
  const unit = m[2]!.toLowerCase() || (sizeUnits ? 'b' : 's');
  const mult = sizeUnits && unit === 'm' ? 1024 ** 2 : UNITS[unit] ?? 1;
  return [Math.abs(Number(m[1])) * mult, Number(m[1]) < 0];
}

interface Filters { readonly match: (name: string) => boolean; readonly keep: (st: RemoteStat) => boolean }

function buildFilters(a: Readonly<Record<string, unknown>>): Filters {
  const useRegex = bool(a.use_regex, false);
  const mk = (p: string): RegExp => (useRegex ? pyRegex(`^(?:${p})`) : fnmatchRegex(p));
  const patterns = list(a.patterns ?? a.pattern).map(mk);
  const excludes = list(a.excludes ?? a.exclude).map(mk);
  const hidden = bool(a.hidden, false);
  const fileType = str(a.file_type) ?? 'file';
  const now = Date.now() / 1000;
  const age = str(a.age) === undefined ? undefined : parseAmount(str(a.age)!, false);
  const size = str(a.size) === undefined ? undefined : parseAmount(str(a.size)!, true);
  const stamp = (str(a.age_stamp) ?? 'mtime') as 'mtime' | 'atime' | 'ctime';
  return {
    match: (name) => (hidden || !name.startsWith('.')) && (patterns.length === 0 || patterns.some((r) => r.test(name))) && !excludes.some((r) => r.test(name)),
    keep: (st) => {
      const typeOk = fileType === 'any' || (fileType === 'file' && st.type === 'file') || (fileType === 'directory' && st.type === 'directory') || (fileType === 'link' && st.type === 'link');
      const ageOk = age === undefined || (age[1] ? now - st[stamp] <= age[0] : now - st[stamp] >= age[0]);
      const sizeOk = size === undefined || st.type !== 'file' || (size[1] ? st.size <= size[0] : st.size >= size[0]);
      return typeOk && ageOk && sizeOk;
    },
  };
}

/**
 * like ansible's find contentfilter: each line must re.match the pattern (anchored at the line
 * start); with read_whole_file the whole content is re.search'ed (grep -z: one record per file).
 */
function containsGrep(pattern: string, wholeFile: boolean): string {
  return wholeFile ? sh`grep -lsZzP -e ${pattern}` : sh`grep -lsZP -e ${`^(?:${pattern})`}`;
}

/** ansible.builtin.find: one `find -printf` (plus `grep -l` for contains) in one exec. */
export const find: ModuleDef = {
  name: 'find',
  schema: {
    type: 'object', additionalProperties: false, oneOf: [{ required: ['paths'] }, { required: ['path'] }, { required: ['name'] }],
    properties: {
      paths: STR_LIST, path: STR_LIST, name: STR_LIST, patterns: STR_LIST, pattern: STR_LIST, excludes: STR_LIST, exclude: STR_LIST,
      contains: STR, read_whole_file: BOOL, file_type: { enum: ['any', 'directory', 'file', 'link'] }, age: STR, age_stamp: { enum: ['atime', 'ctime', 'mtime'] },
      size: STR, recurse: BOOL, hidden: BOOL, follow: BOOL, get_checksum: BOOL, use_regex: BOOL, depth: { type: ['integer', 'string'] },
      checksum_algorithm: STR,
    },
  },
  supportsCheck: true,
  async run(ctx) {
    const a = ctx.args;
    const paths = list(a.paths ?? a.path ?? a.name);
    const depth = bool(a.recurse, false) ? (a.depth === undefined ? '' : `-maxdepth ${Number(a.depth)} `) : '-maxdepth 1 ';
    const follow = bool(a.follow, false) ? '-L ' : '';
    const contains = str(a.contains);
    const find = sh`find ${verbatim(follow)}${paths} -mindepth 1 ${verbatim(depth)}`;
    const lines = [`${find}-printf '${PRINTF}' 2>/dev/null`];
    if (contains !== undefined) lines.push(`printf '\\0@@CONTAINS\\0'; ${find}-type f -exec ${containsGrep(contains, bool(a.read_whole_file, false))} {} + 2>/dev/null`);
    if (bool(a.get_checksum, false)) lines.push(`printf '\\0@@SUMS\\0'; ${find}-type f -exec sha1sum -z {} + 2>/dev/null`);
    const res = await runScript(ctx, lines.join('; '));
    const sections = res.stdout.split(/\0@@(?:CONTAINS|SUMS)\0/);
    const entries = sections[0]!.split('\0').filter((r) => r !== '').map(parseEntry).filter((e): e is RemoteStat => e !== undefined);
    const withContent = contains === undefined ? undefined : new Set(sections[1]!.split('\0'));
    const sums = new Map<string, string>();
    if (bool(a.get_checksum, false)) for (const s of sections[sections.length - 1]!.split('\0')) { const m = /^([0-9a-f]{40}) {2}(.*)$/s.exec(s); if (m) sums.set(m[2]!, m[1]!); }
    const filters = buildFilters(a);
    const files = entries
      .filter((st) => filters.match(st.path.slice(st.path.lastIndexOf('/') + 1)) && filters.keep(st))
      .filter((st) => withContent === undefined || (st.type === 'file' && withContent.has(st.path)))
      .map((st) => pick(statDict({ ...st, checksum: sums.get(st.path) })));
    return { changed: false, files, matched: files.length, examined: entries.length, msg: 'All paths examined', skipped_paths: {} };
  },
};

function pick(d: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(FIND_KEYS.filter((k) => k in d).map((k) => [k, d[k]]));
}
