import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newMachineId, renderEtcHosts, writeAuthorizedKey } from './host-files.js';
import { generateHostKeys, HOST_KEY_TYPES } from './keys.js';
import type { LabHostPlan } from './options.js';
import { spawnDetached } from './systemd-host.js';

/**
 * PID 1 of a namespace host (no systemd). Runs in its own mount/uts/pid/ipc namespaces
 * with private propagation; /usr, /bin, /lib stay shared with the machine.
 * Arguments: HOSTNAME HOSTDIR.
 */
export const NETNS_INIT_SH = `#!/bin/bash
set -eu
H=$1
hostname "$H"
mount -t tmpfs -o mode=0755 tmpfs /run
# The host directory may live under a path mounted over below (/tmp, /root, /home, /opt ...):
# reach it through /run from now on.
mkdir /run/tsplay-host
mount --bind "$2" /run/tsplay-host
D=/run/tsplay-host
# A fresh sysfs shows this namespace's interfaces; cgroupfs must survive it or runc breaks.
mkdir /run/tsplay-cgroup
mount --rbind /sys/fs/cgroup /run/tsplay-cgroup
mount -t sysfs sysfs /sys
mount --move /run/tsplay-cgroup /sys/fs/cgroup
for d in etc var/lib usr/local var/log; do
  n=\${d//\\//_}
  mkdir -p "$D/overlay/$n/upper" "$D/overlay/$n/work"
  mount -t overlay overlay -o "lowerdir=/$d,upperdir=$D/overlay/$n/upper,workdir=$D/overlay/$n/work" "/$d"
done
# Never the machine's own /root: its .bashrc (pyenv) costs ~0.7 s per ssh command.
for d in usr/local/bin opt srv home root; do
  mkdir -p "$D/fresh/$d"
  mount --bind "$D/fresh/$d" "/$d"
done
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /run/sshd
echo "$H" > /etc/hostname
cp "$D/etc-hosts" /etc/hosts
cp "$D/machine-id" /etc/machine-id
/usr/sbin/sshd -E /var/log/sshd.log ${HOST_KEY_TYPES.map((t) => `-h "$D/ssh/ssh_host_${t}_key"`).join(' ')}
set +e
trap 'kill -TERM -1 2>/dev/null; exit 0' TERM INT
# PID 1 reaps every orphan: bash's wait collects any exited child, not only the sleep.
while :; do
  sleep 3600 &
  wait $!
done
`;

/** Writes init.sh, host keys, a fresh /root (from /etc/skel) with the lab key; returns host keys. */
export async function prepareNetnsHost(h: LabHostPlan, all: readonly LabHostPlan[], publicKey: string): Promise<string[]> {
  const sshDir = join(h.dir, 'ssh');
  const rootHome = join(h.dir, 'fresh', 'root');
  await mkdir(sshDir, { recursive: true });
  await mkdir(rootHome, { recursive: true });
  await cp('/etc/skel', rootHome, { recursive: true });
  await writeAuthorizedKey(rootHome, publicKey);
  await writeFile(join(h.dir, 'init.sh'), NETNS_INIT_SH, { mode: 0o755 });
  await writeFile(join(h.dir, 'etc-hosts'), renderEtcHosts(h.name, all));
  await writeFile(join(h.dir, 'machine-id'), newMachineId());
  return generateHostKeys(sshDir, h.name);
}

export function netnsArgv(h: LabHostPlan): string[] {
  // nsenter --net then unshare (not `ip netns exec`, whose own mount namespace eats the
  // host's mounts); --kill-child takes the whole host down if unshare is killed.
  return ['nsenter', `--net=/run/netns/${h.netns}`, 'unshare', '--mount', '--uts', '--pid', '--ipc',
    '--fork', '--mount-proc', '--propagation', 'private', '--kill-child',
    'bash', join(h.dir, 'init.sh'), h.name, h.dir];
}

export function bootNetnsHost(h: LabHostPlan): number {
  return spawnDetached(netnsArgv(h), join(h.dir, 'console.log'), process.env);
}
