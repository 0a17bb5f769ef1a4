import type { RemoteStat } from './probe.js';
import { formatMode } from './mode.js';

/**
 * The stat dict ansible's stat and find modules return (same key names). Not produced:
 * mimetype/charset (get_mime), attributes/attr_flags/version (lsattr).
 */
export function statDict(st: RemoteStat): Record<string, unknown> {
  const m = st.mode;
  const bit = (b: number): boolean => (m & b) !== 0;
  return {
    exists: true, path: st.path, mode: formatMode(m),
    isdir: st.type === 'directory', ischr: st.type === 'chr', isblk: st.type === 'blk', isreg: st.type === 'file',
    isfifo: st.type === 'fifo', islnk: st.type === 'link', issock: st.type === 'socket',
    uid: st.uid, gid: st.gid, size: st.size, inode: st.inode, dev: st.dev, nlink: st.nlink,
    atime: st.atime, mtime: st.mtime, ctime: st.ctime,
    wusr: bit(0o200), rusr: bit(0o400), xusr: bit(0o100), wgrp: bit(0o020), rgrp: bit(0o040), xgrp: bit(0o010),
    woth: bit(0o002), roth: bit(0o004), xoth: bit(0o001), isuid: bit(0o4000), isgid: bit(0o2000),
    blocks: st.blocks, block_size: 4096, device_type: 0,
    pw_name: st.owner, gr_name: st.group,
    ...(st.access === undefined ? {} : { readable: st.access.includes('r'), writeable: st.access.includes('w'), executable: st.access.includes('x') }),
    ...(st.type === 'link' ? { lnk_source: st.linkSource, lnk_target: st.linkTarget } : {}),
    ...(st.checksum === undefined ? {} : { checksum: st.checksum }),
  };
}
