/** Archive listings for unarchive's idempotence check: what the archive would put where. */

export type ArchiveFormat = 'tar' | 'zip';

export interface ArchiveMember {
  /** Path relative to dest after --strip-components. */
  readonly path: string;
  readonly type: 'file' | 'directory' | 'link' | 'other';
  readonly size: number;
  /** Seconds since the epoch (tar only; zip times are local wall-clock and not compared). */
  readonly mtime?: number;
}

/** ansible's handler names, from the file name (or the bytes' magic when the name says nothing). */
export function handlerName(name: string, head?: Buffer): string {
  const n = name.toLowerCase();
  if (n.endsWith('.zip') || head?.subarray(0, 2).toString('latin1') === 'PK') return 'ZipArchive';
  if (/\.(tar\.gz|tgz)$/.test(n) || (head?.[0] === 0x1f && head[1] === 0x8b)) return 'TgzArchive';
  if (/\.(tar\.bz2|tbz2?)$/.test(n) || head?.subarray(0, 3).toString('latin1') === 'BZh') return 'TarBzipArchive';
  if (/\.(tar\.xz|txz)$/.test(n) || (head?.[0] === 0xfd && head.subarray(1, 6).toString('latin1') === '7zXZ\u0000')) return 'TarXzArchive';
  if (/\.(tar\.zst|tzst)$/.test(n)) return 'TarZstdArchive';
  return 'TarArchive';
}

export function formatOf(handler: string): ArchiveFormat {
  return handler === 'ZipArchive' ? 'zip' : 'tar';
}

function strip(path: string, n: number): string | undefined {
  const parts = path.replace(/^\.\//, '').split('/').filter((p, i, all) => p !== '' || i === all.length - 1);
  const rest = parts.slice(n).join('/');
  return rest === '' || rest === '/' ? undefined : rest.replace(/\/$/, '');
}

/** `TZ=UTC tar -tv --full-time --numeric-owner --quoting-style=literal -f ARCHIVE` lines. */
export function parseTarListing(text: string, stripComponents = 0): ArchiveMember[] {
  const out: ArchiveMember[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S)\S{9}\s+\S+\s+(\d+)\s+(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\s(.*)$/.exec(line);
    if (!m) continue;
    let name = m[5]!;
    if (m[1] === 'l') name = name.replace(/ -> .*$/, '');
    if (m[1] === 'h') name = name.replace(/ link to .*$/, '');
    const path = strip(name, stripComponents);
    if (path === undefined || path === '.') continue;
    const type = m[1] === '-' || m[1] === 'h' ? 'file' : m[1] === 'd' ? 'directory' : m[1] === 'l' ? 'link' : 'other';
    out.push({ path, type, size: Number(m[2]), mtime: Date.parse(`${m[3]}T${m[4]}Z`) / 1000 });
  }
  return out;
}

/** `unzip -l ARCHIVE` lines between the dashed rules. */
export function parseZipListing(text: string, stripComponents = 0): ArchiveMember[] {
  const out: ArchiveMember[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+\d{2,4}-\d\d-\d{2,4}\s+\d\d:\d\d\s+(.+)$/.exec(line);
    if (!m) continue;
    const isDir = m[2]!.endsWith('/');
    const path = strip(m[2]!, stripComponents);
    if (path === undefined) continue;
    out.push({ path, type: isDir ? 'directory' : 'file', size: Number(m[1]) });
  }
  return out;
}

/** What the host has at each member path: `stat -c '%s|%Y|%F|%U|%G|%a|%n'` lines. */
export interface OnDisk { readonly size: number; readonly mtime: number; readonly type: string; readonly owner: string; readonly group: string; readonly mode: string }

export function parseStatLines(text: string): Map<string, OnDisk> {
  const out = new Map<string, OnDisk>();
  for (const line of text.split('\n')) {
    const f = line.split('|');
    if (f.length < 7) continue;
    out.set(f.slice(6).join('|'), { size: Number(f[0]), mtime: Number(f[1]), type: f[2]!, owner: f[3]!, group: f[4]!, mode: f[5]! });
  }
  return out;
}

/** True when every member is on disk with the same type, and files with the same size (and mtime for tar). */
export function isUnarchived(members: readonly ArchiveMember[], disk: ReadonlyMap<string, OnDisk>, want: { owner?: string; group?: string }): boolean {
  return members.every((m) => {
    const d = disk.get(m.path);
    if (d === undefined) return false;
    if (want.owner !== undefined && d.owner !== want.owner) return false;
    if (want.group !== undefined && d.group !== want.group) return false;
    if (m.type === 'directory') return d.type === 'directory';
    if (m.type === 'link') return d.type === 'symbolic link';
    if (m.type !== 'file') return true;
    return d.type.startsWith('regular') && d.size === m.size && (m.mtime === undefined || d.mtime === m.mtime);
  });
}

/** Members kept by include/exclude (fnmatch on the path inside the archive, like ansible). */
export function filterMembers(members: readonly ArchiveMember[], include: readonly string[], exclude: readonly string[], match: (s: string, p: string) => boolean): ArchiveMember[] {
  return members.filter((m) => (include.length === 0 || include.some((p) => match(m.path, p) || m.path.startsWith(`${p.replace(/\/$/, '')}/`)))
    && !exclude.some((p) => match(m.path, p) || m.path.startsWith(`${p.replace(/\/$/, '')}/`)));
}
