import type { Facts, Sections } from './parse-system.js';

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((l) => l.trim() !== '');
}

/** memtotal_mb & co. are MB rounded down from /proc/meminfo's kB, as ansible does. */
export function memoryFacts(s: Sections): Facts {
  const kb: Record<string, number> = {};
  for (const l of lines(s.get('meminfo'))) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(l);
    if (m) kb[m[1]] = Number(m[2]);
  }
  if (kb.MemTotal === undefined) return {};
  const mb = (k: string) => Math.floor((kb[k] ?? 0) / 1024);
  const nocacheFree = Math.floor(((kb.MemFree ?? 0) + (kb.Buffers ?? 0) + (kb.Cached ?? 0)) / 1024);
  return {
    memtotal_mb: mb('MemTotal'),
    memfree_mb: mb('MemFree'),
    swaptotal_mb: mb('SwapTotal'),
    swapfree_mb: mb('SwapFree'),
    memory_mb: {
      real: { total: mb('MemTotal'), free: mb('MemFree'), used: mb('MemTotal') - mb('MemFree') },
      nocache: { free: nocacheFree, used: mb('MemTotal') - nocacheFree },
      swap: { total: mb('SwapTotal'), free: mb('SwapFree'), used: mb('SwapTotal') - mb('SwapFree'), cached: mb('SwapCached') },
    },
  };
}

/** processor_* from /proc/cpuinfo: sockets by 'physical id', cores per socket, threads from siblings. */
export function cpuFacts(s: Sections): Facts {
  const processor: string[] = [];
  const sockets = new Set<string>();
  let cores = 0;
  let siblings = 0;
  let nproc = 0;
  let logical = 0;
  for (const l of lines(s.get('cpuinfo'))) {
    if (l.startsWith('@nproc ')) nproc = Number(l.slice(7));
    const m = /^([^:]+?)\s*:\s*(.*)$/.exec(l);
    if (!m) continue;
    const [, key, value] = m;
    if (key === 'processor') {
      logical++;
      processor.push(value);
    } else if (key === 'vendor_id' || key === 'model name') processor.push(value);
    else if (key === 'physical id') sockets.add(value);
    else if (key === 'cpu cores') cores = Number(value);
    else if (key === 'siblings') siblings = Number(value);
  }
  const count = sockets.size > 0 ? sockets.size : logical;
  const perSocketCores = cores > 0 ? cores : 1;
  const threads = cores > 0 && siblings > 0 ? Math.max(1, Math.floor(siblings / cores)) : 1;
  return {
    processor,
    processor_count: count,
    processor_cores: perSocketCores,
    processor_threads_per_core: threads,
    processor_vcpus: sockets.size > 0 ? threads * perSocketCores * count : logical,
    processor_nproc: nproc || logical,
  };
}

/** /proc/mounts escapes blanks and backslashes as octal (\040). */
function unescapeMount(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mounts of real devices (path or host:/export), sized by statvfs like ansible's get_mount_size. */
export function mountFacts(s: Sections): Facts {
  const sizes = new Map<string, number[]>();
  for (const l of lines(s.get('statfs'))) {
    const parts = l.split(' ');
    sizes.set(parts.slice(7).join(' '), parts.slice(0, 7).map(Number));
  }
  // Like ansible (findmnt): a mount whose source root is not '/' is a bind mount, flagged in options.
  const binds = new Set(lines(s.get('mountinfo')).map((l) => l.split(' ')).filter((f) => f[3] !== '/').map((f) => unescapeMount(f[4] ?? '')));
  const mounts: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const l of lines(s.get('mounts'))) {
    const [device, rawMount, fstype, options] = l.split(/\s+/);
    if ((!device.startsWith('/') && !device.includes(':/')) || fstype === 'none') continue;
    const mount = unescapeMount(rawMount);
    if (seen.has(mount)) continue; // like ansible's dict keyed by mount point: one entry each
    seen.add(mount);
    const info: Record<string, unknown> = { mount, device, fstype, options: binds.has(mount) ? `${options},bind` : options, uuid: 'N/A' };
    const st = sizes.get(mount);
    if (st) {
      const [frsize, bsize, blocks, , bavail, files, ffree] = st;
      Object.assign(info, {
        size_total: frsize * blocks,
        size_available: frsize * bavail,
        block_size: bsize,
        block_total: blocks,
        block_available: bavail,
        block_used: blocks - bavail,
        inode_total: files,
        inode_available: ffree,
        inode_used: files - ffree,
      });
    }
    mounts.push(info);
  }
  return { mounts };
}

export function uptimeFacts(s: Sections): Facts {
  const first = lines(s.get('uptime'))[0];
  return first ? { uptime_seconds: Math.floor(Number(first.split(' ')[0])) } : {};
}
