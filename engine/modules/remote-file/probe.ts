import { sh, verbatim } from '../../transport/shell.js';

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
}

const STAT_FMT = '%f|%u|%g|%U|%G|%s|%.9X|%.9Y|%.9Z|%i|%h|%d|%b|%B';
const MARK = '@@TSPLAY-PROBE';

/** Shell text probing one path: stat line, link text, checksum and content, each tagged. */
function probeOne(item: ProbeItem, index: number): string {
  const p = item.path;
  const follow = verbatim(item.follow === true ? '-L ' : '');
  const parts = [
    sh`echo ${MARK} ${index}`,
    sh`if [ -e ${p} ] || [ -L ${p} ]; then`,
    // a dangling link under follow falls back to the link itself
    sh` printf 'S '; stat ${follow}-c ${STAT_FMT} -- ${p} 2>/dev/null || stat -c ${STAT_FMT} -- ${p}`,
    sh` if [ -L ${p} ]; then printf 'L '; readlink -- ${p}; printf 'R '; realpath -m -- ${p}; fi`,
  ];
  if (item.access === true) parts.push(sh` printf 'A '; [ -r ${p} ] && printf r; [ -w ${p} ] && printf w; [ -x ${p} ] && printf x; echo`);
  if (item.mime === true) parts.push(sh` command -v file >/dev/null && { printf 'M '; file -b --mime-type --mime-encoding -- ${p} 2>/dev/null || echo; }`);
  const fileParts: string[] = [];
  // parameter expansion instead of `| cut`: one program fewer per probe on the host
  if (item.checksum !== undefined) fileParts.push(sh`printf 'C '; tsplay_sum=$(${verbatim(item.checksum)}sum < ${p}); echo "\${tsplay_sum%% *}";`);
  if (item.content === true) fileParts.push(sh`printf 'B '; base64 -w0 < ${p}; echo;`);
  if (fileParts.length > 0) parts.push(sh` if [ -f ${p} ] && [ -r ${p} ]; then ${verbatim(fileParts.join(' '))} fi`);
  parts.push('else echo N; fi');
  return parts.join('\n');
}

/** One shell script probing all items; run it in ONE exec (the round-trip budget). */
export function probeScript(items: readonly ProbeItem[]): string {
  return items.map(probeOne).join('\n');
}

const TYPES: Readonly<Record<number, RemoteStat['type']>> = {
  0o100000: 'file', 0o040000: 'directory', 0o120000: 'link', 0o010000: 'fifo',
  0o140000: 'socket', 0o020000: 'chr', 0o060000: 'blk',
};

function parseStatLine(path: string, line: string): Omit<RemoteStat, 'linkTarget' | 'linkSource' | 'checksum' | 'content'> {
  const f = line.split('|');
  if (f.length < 14) throw new Error(`cannot parse stat output for ${path}: ${line}`);
  const raw = parseInt(f[0]!, 16);
  const num = (i: number): number => Number(f[i]);
  return {
    exists: true, path, type: TYPES[raw & 0o170000] ?? 'file', mode: raw & 0o7777,
    uid: num(1), gid: num(2), owner: f[3]!, group: f[4]!, size: num(5),
    atime: num(6), mtime: num(7), ctime: num(8), inode: num(9), nlink: num(10), dev: num(11),
    blocks: num(12), blockSize: num(13),
  };
}

function parseSection(path: string, lines: readonly string[]): ProbeResult {
  if (lines[0] === 'N' || lines.length === 0) return { exists: false, path };
  let st: Record<string, unknown> = {};
  for (const line of lines) {
    const tag = line.slice(0, 2);
    const rest = line.slice(2);
    if (tag === 'S ') st = { ...parseStatLine(path, rest), ...st };
    else if (tag === 'L ') st.linkTarget = rest;
    else if (tag === 'R ') st.linkSource = rest;
    else if (tag === 'C ') st.checksum = rest.trim();
    else if (tag === 'B ') st.content = Buffer.from(rest, 'base64');
    else if (tag === 'A ' || line === 'A') st.access = rest;
    else if (tag === 'M ') st.mime = rest.trim();
  }
  if (st.exists !== true) return { exists: false, path };
  return st as unknown as RemoteStat;
}

/** Parses probeScript output into one result per item, in order. */
export function parseProbe(items: readonly ProbeItem[], stdout: string): ProbeResult[] {
  const sections = stdout.split(`${MARK} `).slice(1);
  return items.map((item, i) => {
    const text = sections.find((s) => s.startsWith(`${i}\n`));
    if (text === undefined) throw new Error(`probe output missing for ${item.path}`);
    const lines = text.split('\n').slice(1).filter((l) => l !== '');
    return parseSection(item.path, lines);
  });
}
