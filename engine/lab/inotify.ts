import { readFile, writeFile } from 'node:fs/promises';

const INOTIFY_INSTANCES = '/proc/sys/fs/inotify/max_user_instances';
/** systemd, journald, logind, dbus and agetty of one host hold ~7 inotify instances, all as root. */
const INOTIFY_PER_HOST = 8;

/**
 * Debian's default of 128 inotify instances per user is shared by every systemd host of every
 * lab (they all run as the machine's root): about 20 hosts hit it and systemd stalls before
 * sshd ("Failed to create inotify object: Too many open files"). This is a machine-wide
 * setting, so it is only ever raised, never lowered, and the change is printed.
 */
export async function ensureInotifyInstances(hosts: number, log: (l: string) => void): Promise<void> {
  const current = Number((await readFile(INOTIFY_INSTANCES, 'utf8')).trim());
  const wanted = Math.max(512, 128 + hosts * INOTIFY_PER_HOST);
  if (current >= wanted) return;
  await writeFile(INOTIFY_INSTANCES, `${wanted}\n`);
  log(`raised fs.inotify.max_user_instances from ${current} to ${wanted} for ${hosts} systemd hosts`);
}
