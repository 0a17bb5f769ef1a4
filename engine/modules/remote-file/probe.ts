import { createHash } from 'node:crypto';
import { ModuleFailure } from '../../errors/index.js';
import { evalWord, sh, verbatim } from '../../transport/shell.js';

/** What one probed path looked like on the host (absent paths have exists=false only). */
export interface RemoteStat {
  readonly exists: true;
  readonly path: string;
  readonly type: 'file' | 'directory' | 'link' | 'fifo' | 'socket' | 'chr' | 'blk';
  /** Permission bits incl. setuid/setgid/sticky (0o7777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly owner: string;
  readonly group: string;
  readonly size: number;
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;
  readonly inode: number;
  readonly nlink: number;
  readonly dev: number;
  readonly blocks: number;
  readonly blockSize: number;
  /** readlink output for symlinks (the link text). */
  readonly linkTarget?: string;
  /** realpath of a symlink (Ansible's lnk_source). */
  readonly linkSource?: string;
  readonly checksum?: string;
  readonly content?: Buffer;
  /** 'r', 'w', 'x' letters the probing user has (test -r/-w/-x), when asked. */
  readonly access?: string;
  /** `file --mime-type --mime-encoding` output ("text/plain; charset=us-ascii"), when asked. */
  readonly mime?: string;
  /** Which of the item's `ids` names the host's user/group database does not know. */
  readonly unknownIds?: readonly ('owner' | 'group')[];
}

export type ProbeResult = RemoteStat | { readonly exists: false; readonly path: string };

export type ChecksumAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export interface ProbeItem {
  readonly path: string;
  /** Checksum of regular files with this algorithm. */
  readonly checksum?: ChecksumAlgorithm;
  /** Return the file's bytes (regular files only). */
  readonly content?: boolean;
  /** Stat the target of a symlink instead of the link. */
  readonly follow?: boolean;
  /** Report readable/writeable/executable for the probing user. */
  readonly access?: boolean;
  /** Report the MIME type and charset (ansible stat's get_mime). */
  readonly mime?: boolean;
  /** Owner/group names to look up on the host (numbers need no lookup), when the path exists. */
  readonly ids?: { readonly owner?: string; readonly group?: string };
  /**
   * A regular file of at most this many bytes is read with shell builtins (no program started:
   * issue 17's "at most one program beyond the shell" for an unchanged copy/lineinfile), and its
   * checksum is computed here. A larger file gets the checksum/base64 programs as before; one the
   * builtins could not carry exactly (a NUL byte, text that is not UTF-8) comes back without
   * checksum/content, and `probe()` asks again (programs) only when the content was asked for.
   * Set it with a checksum only to compare against builtinReadable() bytes of that length.
   */
  readonly textUpTo?: number;
}

/** Shell lines printing `X owner` / `X group` for names the host does not know (like pwd/grp lookups). */
function idLookups(ids: ProbeItem['ids']): string[] {
  const out: string[] = [];
  const name = (v: string | undefined) => (v !== undefined && !/^\d+$/.test(v) ? v : undefined);
  const owner = name(ids?.owner);
  const group = name(ids?.group);
  if (owner !== undefined) out.push(sh` { getent passwd -- ${owner} || id -u -- ${owner}; } >/dev/null 2>&1 || echo 'X owner'`);
  if (group !== undefined) out.push(sh` getent group -- ${group} >/dev/null 2>&1 || echo 'X group'`);
  return out;
}

const STAT_FMT = '%f|%u|%g|%U|%G|%s|%.9X|%.9Y|%.9Z|%i|%h|%d|%b|%B';
const MARK = '@@TSPLAY-PROBE';
/** Starts the lines of the one `stat` run for every path that is no symlink (not MARK + space). */
const STAT_MARK = '@@TSPLAY-PROBE-STAT';
/** The batched stat failed (a path vanished meanwhile): one line per batched path follows instead. */
const RESTAT_MARK = '@@TSPLAY-PROBE-RESTAT';

/**
 * Shell text probing one path. Tests are shell builtins; a path that is no symlink is only
 * added to $tsplay_batch (stat -L and stat agree then) and answered by the one `stat` run at the
 * end, so a probe of several paths starts one stat, not one per path. A symlink gets its own
 * stat, readlink and realpath.
 */
function probeOne(item: ProbeItem, index: number): string {
  const p = item.path;
  const follow = verbatim(item.follow === true ? '-L ' : '');
  const parts = [
    sh`echo ${MARK} ${index}`,
    sh`if [ -e ${p} ] || [ -L ${p} ]; then`,
    // a dangling link under follow falls back to the link itself
    sh` if [ -L ${p} ]; then printf 'S '; stat ${follow}-c ${STAT_FMT} -- ${p} 2>/dev/null || stat -c ${STAT_FMT} -- ${p};` +
      sh` printf 'L '; readlink -- ${p}; printf 'R '; realpath -m -- ${p}; else echo P; tsplay_batch="$tsplay_batch ${verbatim(evalWord(p))}"; fi`,
  ];
  if (item.access === true) parts.push(sh` printf 'A '; [ -r ${p} ] && printf r; [ -w ${p} ] && printf w; [ -x ${p} ] && printf x; echo`);
  parts.push(...idLookups(item.ids));
  if (item.mime === true) parts.push(sh` command -v file >/dev/null && { printf 'M '; file -b --mime-type --mime-encoding -- ${p} 2>/dev/null || echo; }`);
  const fileParts: string[] = [];
  // the hash program writes "HASH  -" itself: no subshell, no `| cut` (the parser takes the first word)
  if (item.checksum !== undefined) fileParts.push(sh`printf 'C '; ${verbatim(item.checksum)}sum < ${p};`);
  if (item.content === true) fileParts.push(sh`printf 'B '; base64 -w0 < ${p}; echo;`);
  const programs = fileParts.join(' ');
  const body = item.textUpTo === undefined || programs === '' ? programs : textRead(p, item.textUpTo, programs);
  if (body !== '') parts.push(sh` if [ -f ${p} ] && [ -r ${p} ]; then ${verbatim(body)} fi`);
  parts.push('else echo N; fi');
  return parts.join('\n');
}

/**
 * Prints the file as `T line` lines and a last `U rest` (the text after the last newline; the
 * U line says the text is whole), stopping once it would exceed `limit` bytes: then `programs`
 * run instead. `read -r` with an empty IFS keeps every byte but NUL, and the parser checks the
 * rebuilt length against stat's size, so a lossy read can never pass for the content.
 */
function textRead(p: string, limit: number, programs: string): string {
  return [
    sh`tsplay_n=0; tsplay_l=; while IFS= read -r tsplay_l; do tsplay_n=$((tsplay_n + \${#tsplay_l} + 1)); [ "$tsplay_n" -gt ${limit} ] && break;`,
    `printf 'T %s\n' "$tsplay_l"; tsplay_l=; done < ${sh`${p}`};`,
    `if [ $((tsplay_n + \${#tsplay_l})) -le ${limit} ]; then printf 'U %s\n' "$tsplay_l"; else ${programs} fi;`,
  ].join(' ');
}

/**
 * One shell script probing all items; run it in ONE exec (the round-trip budget). It ends with
 * status 0 (callers append it to `set -e` scripts) and leaves the positional parameters alone.
 */
export function probeScript(items: readonly ProbeItem[]): string {
  const batch = [
    `echo ${STAT_MARK}`,
    `if [ -n "$tsplay_batch" ] && ! eval "stat -c '${STAT_FMT}' --$tsplay_batch" 2>/dev/null; then`,
    ` echo ${RESTAT_MARK}; eval "for tsplay_p in $tsplay_batch; do stat -c '${STAT_FMT}' -- \\"\\$tsplay_p\\" 2>/dev/null || echo N; done"`,
    'fi',
  ];
  return ['tsplay_batch=', ...items.map(probeOne), ...batch].join('\n');
}

const TYPES: Readonly<Record<number, RemoteStat['type']>> = {
  0o100000: 'file', 0o040000: 'directory', 0o120000: 'link', 0o010000: 'fifo',
  0o140000: 'socket', 0o020000: 'chr', 0o060000: 'blk',
};

function parseStatLine(path: string, line: string): Omit<RemoteStat, 'linkTarget' | 'linkSource' | 'checksum' | 'content'> {
  const f = line.split('|');
  if (f.length < 14) throw new ModuleFailure(`cannot read the host's stat of ${path}: ${JSON.stringify(line)} (its stat is not GNU coreutils' or busybox's?)`);
  const raw = parseInt(f[0]!, 16);
  const num = (i: number): number => Number(f[i]);
  return {
    exists: true, path, type: TYPES[raw & 0o170000] ?? 'file', mode: raw & 0o7777,
    uid: num(1), gid: num(2), owner: f[3]!, group: f[4]!, size: num(5),
    atime: num(6), mtime: num(7), ctime: num(8), inode: num(9), nlink: num(10), dev: num(11),
    blocks: num(12), blockSize: num(13),
  };
}

function parseSection(item: ProbeItem, lines: readonly string[], batched: () => string | undefined): ProbeResult {
  const path = item.path;
  if (lines[0] === 'N' || lines.length === 0) return { exists: false, path };
  let st: Record<string, unknown> = {};
  let text: string | undefined;
  for (const line of lines) {
    if (line.startsWith('T ')) {
      text = `${text ?? ''}${line.slice(2)}\n`;
      continue;
    }
    if (line.startsWith('U ')) {
      st.text = `${text ?? ''}${line.slice(2)}`;
      continue;
    }
    const tag = line.slice(0, 2);
    const rest = line.slice(2);
    if (line === 'P') {
      // answered by the batched stat; a path gone meanwhile answers N there
      const statLine = batched();
      if (statLine === undefined || statLine === 'N') return { exists: false, path };
      st = { ...parseStatLine(path, statLine), ...st };
    } else if (tag === 'S ') st = { ...parseStatLine(path, rest), ...st };
    else if (tag === 'L ') st.linkTarget = rest;
    else if (tag === 'R ') st.linkSource = rest;
    else if (tag === 'C ') st.checksum = rest.trim().split(/\s+/)[0];
    else if (tag === 'B ') st.content = Buffer.from(rest, 'base64');
    else if (tag === 'A ' || line === 'A') st.access = rest;
    else if (tag === 'M ') st.mime = rest.trim();
    else if (tag === 'X ') st.unknownIds = [...((st.unknownIds as string[] | undefined) ?? []), rest.trim()];
  }
  if (st.exists !== true) return { exists: false, path };
  return withText(item, st);
}

/** Checksum and content from the builtins' text, when it is byte for byte the file (stat's size). */
function withText(item: ProbeItem, st: Record<string, unknown>): RemoteStat {
  const { text, ...rest } = st;
  if (typeof text !== 'string') return rest as unknown as RemoteStat;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length !== rest.size) return rest as unknown as RemoteStat;
  if (item.checksum !== undefined) rest.checksum = createHash(item.checksum).update(bytes).digest('hex');
  if (item.content === true) rest.content = bytes;
  return rest as unknown as RemoteStat;
}

/**
 * Up to about this size, reading a file a byte per syscall with `read` beats starting a program
 * (measured on the lab: 2 KiB 0.4 ms, 64 KiB 17 ms against 5 ms for base64, under load).
 */
export const TEXT_READ_MAX = 16 * 1024;

/** Bytes the shell's `read` carries exactly and the parser gets back unchanged: UTF-8 without NUL. */
export function builtinReadable(data: Buffer): boolean {
  return data.length <= TEXT_READ_MAX && !data.includes(0) && Buffer.from(data.toString('utf8'), 'utf8').equals(data);
}

/** Items whose builtin read could not answer exactly: ask again with the programs. */
export function unanswered(items: readonly ProbeItem[], results: readonly ProbeResult[]): number[] {
  return items.flatMap((item, i) => {
    const r = results[i];
    if (item.textUpTo === undefined || r === undefined || !r.exists || r.type !== 'file' || r.size > item.textUpTo) return [];
    // a checksum alone is not asked again: a file the builtins could not carry is no UTF-8 text
    // without NUL, so it differs from the content whose length textUpTo names (copy/template)
    return item.content === true && r.content === undefined ? [i] : [];
  });
}

/** The batched stat's lines, in the order the paths were added (the per-path retry's when it ran). */
function batchedLines(stdout: string): string[] {
  const at = stdout.indexOf(`\n${STAT_MARK}\n`);
  if (at < 0) return [];
  const text = stdout.slice(at + STAT_MARK.length + 2);
  const retry = text.indexOf(`${RESTAT_MARK}\n`);
  return (retry >= 0 ? text.slice(retry + RESTAT_MARK.length + 1) : text).split('\n').filter((l) => l !== '');
}

/** What came before the probe's first line (the output of a step run before it in the same exec). */
export function probeHead(output: string): string {
  const at = `\n${output}`.indexOf(`\n${MARK} `);
  return at < 0 ? output : output.slice(0, Math.max(0, at - 1));
}

/** Parses probeScript output into one result per item, in order. */
export function parseProbe(items: readonly ProbeItem[], output: string): ProbeResult[] {
  // markers count only at the start of a line: file text comes as `T ...` lines, never there
  const stdout = `\n${output}`;
  const statAt = stdout.indexOf(`\n${STAT_MARK}\n`);
  const sections = (statAt < 0 ? stdout : stdout.slice(0, statAt)).split(`\n${MARK} `).slice(1);
  const stats = batchedLines(stdout);
  let next = 0;
  return items.map((item, i) => {
    const text = sections.find((s) => s.startsWith(`${i}\n`));
    // a host that answered without the probe's lines (cut short, or a shell that could not run it) fails the task
    if (text === undefined) throw new ModuleFailure(`the host's answer has no probe of ${item.path} (output cut short?)`);
    const lines = text.split('\n').slice(1).filter((l) => l !== '');
    return parseSection(item, lines, () => stats[next++]);
  });
}
