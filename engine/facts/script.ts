/**
 * The fact-gathering script: ONE POSIX sh program (no python on the host) sent in a single
 * exec. Each section prints a marker line and then raw command output; facts/parse-*.ts turn
 * sections into Ansible's fact names and shapes. Commands that may be missing are silenced:
 * a missing section is simply absent, like ansible leaving a fact out.
 */
export type FactArea = 'min' | 'network' | 'hardware' | 'virtual';

export const MARKER = '@@tsplay-facts@@';

// c: cat for small files with builtins only (a program start costs more than reading a few
// hundred bytes a byte per syscall); it fails like cat on a missing file, so `c a || c b` works
const HEADER = `s() { printf '\\n${MARKER} %s\\n' "$1"; }
c() { [ -r "$1" ] && [ ! -d "$1" ] || return 1; while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done < "$1"; }
exec 2>/dev/null`;

/**
 * Real and effective uid/gid from the shell's own /proc/self/status (what `id` reports, without
 * starting it), then the passwd entry of the effective uid, whose name is the one `id` prints.
 */
const USER = String.raw`s user; ru=; eu=; rg=; eg=; while read -r k a b x; do case $k in (Uid:) ru=$a eu=$b;; (Gid:) rg=$a eg=$b; break;; esac; done < /proc/self/status
echo "@ids $ru $eu $rg $eg"; getent passwd "$eu" || grep "^[^:]*:[^:]*:$eu:" /etc/passwd`;

/*
 * A program start costs ~1-1.5 ms on a busy host, a fork less, a builtin almost nothing; so:
 * - uname once: POSIX fixes the order of -snrvm's fields (only the version may hold spaces);
 *   the fqdn lookup reuses its nodename ($2: a host name holds no blank);
 * - chroot: test's -ef compares device and inode like `stat -c %d:%i` did; /proc/1/root is
 *   unreadable when not root, and then the section stays empty as before;
 * - date: one GNU `date -f -` for now and the two reference instants; busybox's date has no
 *   -f, fails with no output, and the three runs follow;
 * - service_mgr: /sbin/init's target only matters when PID 1 is not systemd (parse-system.ts).
 */
const MIN = String.raw`s platform; u=$(uname -snrvm); echo "$u"
s fqdn; set -- $u; set -- $(getent hosts "$2"); [ -n "$1" ] && getent hosts "$1"
s machine_id; c /var/lib/dbus/machine-id || c /etc/machine-id
s os_release; c /etc/os-release || c /usr/lib/os-release
s debian_version; c /etc/debian_version
s redhat_release; c /etc/redhat-release
s lsb_release; c /etc/lsb-release; command -v lsb_release >/dev/null && echo @lsb_release_present
s chroot; [ -e /proc/1/root/. ] && { [ / -ef /proc/1/root/. ] && echo same || echo chroot; }
s caps; command -v capsh >/dev/null && capsh --print
${USER}
s date; printf 'now\n@1704067200\n@1719792000\n' | date -f - +'%s %N %z %Z' || { date +'%s %N %z %Z'; date -d @1704067200 +'%z %Z'; date -d @1719792000 +'%z %Z'; }
s dns; c /etc/resolv.conf
s selinux; if [ -d /sys/fs/selinux ]; then echo enabled; c /sys/fs/selinux/enforce; echo; grep -E '^SELINUX(TYPE)?=' /etc/selinux/config; c /sys/fs/selinux/policyvers; echo; fi; command -v getenforce >/dev/null && echo python_tools
s apparmor; [ -d /sys/kernel/security/apparmor ] && echo enabled
s service_mgr; c /proc/1/comm; [ -d /run/systemd/system ] && echo @systemd-booted; [ -e /sbin/openrc ] && echo @openrc; [ -d /etc/init.d ] && echo @initd; m=; read -r m < /proc/1/comm; [ "$m" = systemd ] || echo "@init $(readlink -f /sbin/init)"
s pkg_mgr; for p in apt-get dnf yum microdnf zypper apk pacman emerge pkg; do command -v $p >/dev/null && echo $p; done; [ -e /usr/bin/dnf5 ] && echo dnf5
s fips; c /proc/sys/crypto/fips_enabled
s cmdline; c /proc/cmdline
s loadavg; c /proc/loadavg
s ssh_host_keys; for a in dsa rsa ecdsa ed25519; do f=/etc/ssh/ssh_host_"$a"_key.pub; [ -r "$f" ] && { printf '%s ' "$a"; c "$f"; }; done
s env; env`;

// fc_wwn: a glob that matches nothing reaches `c`, which fails quietly (cat started for nothing).
const NETWORK_IDS = String.raw`s iscsi; c /etc/iscsi/initiatorname.iscsi
s nvme; c /etc/nvme/hostnqn
s fc_wwn; for f in /sys/class/fc_host/*/port_name; do c "$f"; done`;

// Plain strings: these lines use sh's ${var##*/} and ${var:--}, which a template literal would eat.
// sysnet: the device link's last component (the PCI or virtio id) is the name of the directory
// it leads to: sysfs links point at device directories, so `cd -P` in a subshell (a fork, no
// program) gives what basename "$(readlink)" gave.
const NETWORK = [
  's route4; ip -4 route get 8.8.8.8',
  's route6; ip -6 route get 2404:6800:400a:800::1012',
  's ipaddr; ip addr show',
  's sysnet; for d in /sys/class/net/*; do [ -d "$d" ] || continue; a=; m=; o=; t=; f=; sp=',
  'read -r a < "$d/address"; read -r m < "$d/mtu"; read -r o < "$d/operstate"; read -r t < "$d/type"; read -r f < "$d/flags"; read -r sp < "$d/speed"',
  'b=-; [ -d "$d/bridge" ] && b=bridge; [ -d "$d/bonding" ] && b=bonding; p=-; if [ -e "$d/device" ]; then p=; [ -h "$d/device" ] && p=$(cd -P "$d/device" && pwd -P) && p=${p##*/}; fi',
  'echo "${d##*/} ${a:--} ${m:--} ${o:--} ${t:--} ${f:--} ${sp:--} $b $p"',
  'if [ $b = bridge ]; then bid=; stp=; read -r bid < "$d/bridge/bridge_id"; read -r stp < "$d/bridge/stp_state"',
  'printf "@bridge %s %s %s" "${d##*/}" "${bid:--}" "${stp:--}"; for x in "$d"/brif/*; do [ -e "$x" ] && printf " %s" "${x##*/}"; done; echo; fi; done',
].join('\n');

// meminfo is a few dozen lines whatever the machine: `c`. mounts and mountinfo can be large (read
// builtins go a byte per syscall): one cat for both, the second section's marker fed on stdin.
// statfs: the mount points on a device (/dev/..., host:/path) and without an escaped character,
// picked by awk (a 604-line mounts file took dash's read loop 190 ms, awk 4 ms); the
// kernel escapes blanks in /proc/mounts, so each is one word, and set -f keeps [ * ? as they are.
// Without awk, the same loop in the shell.
const HARDWARE = String.raw`s meminfo; c /proc/meminfo
s cpuinfo; grep -E '^(processor|physical id|core id|cpu cores|siblings|vendor_id|model name)' /proc/cpuinfo; echo "@nproc $(nproc)"
s mounts; s mountinfo | cat /proc/mounts - /proc/self/mountinfo
s statfs; if command -v awk >/dev/null; then set -f; set -- $(awk 'substr($1, 1, 1) == "/" || index($1, ":/") > 0 { if (index($2, "\\") == 0) print $2 }' /proc/mounts); set +f
else set --; while read -r dev mnt rest; do case "$dev" in /*|*:/*) case "$mnt" in *\\*) ;; *) set -- "$@" "$mnt";; esac;; esac; done < /proc/mounts; fi; [ $# -gt 0 ] && stat -f -c '%S %s %b %f %a %c %d %n' "$@"
s uptime; c /proc/uptime
s dmi; [ -d /sys/devices/virtual/dmi/id ] && for f in bios_date bios_vendor bios_version board_asset_tag board_name board_serial board_vendor board_version chassis_asset_tag chassis_serial chassis_vendor chassis_version chassis_type product_name product_serial product_uuid product_version sys_vendor; do v=; read -r v < /sys/devices/virtual/dmi/id/"$f" && echo "$f=$v"; done`;

// PID 1's environment (NULs dropped by read, in dash, bash and busybox alike) is split by tr|grep
// only when it holds container= at all; unreadable (not root), it printed nothing before either.
const VIRTUAL = String.raw`s virt_cgroup; c /proc/1/cgroup
s virt_environ; e=; [ -r /proc/1/environ ] && while IFS= read -r l || [ -n "$l" ]; do e=$e$l; done < /proc/1/environ
case $e in (*container=*) tr '\0' '\n' < /proc/1/environ | grep '^container=';; esac
s virt_systemd; c /run/systemd/container
s virt_files; for f in /.dockerenv /.dockerinit /proc/xen /dev/kvm; do [ -e $f ] && echo $f; done; c /proc/xen/capabilities
s virt_dmi; p=; v=; read -r p < /sys/devices/virtual/dmi/id/product_name; read -r v < /sys/devices/virtual/dmi/id/sys_vendor; echo "$p"; echo "$v"`;

/**
 * ansible_python from the host's python3: the section's slowest program (~10 ms of interpreter
 * start), so it runs in the background while the 'min' sections run. Its JSON is printed
 * by hand (importing json and importlib.util doubled its cost) and falls back to json.dumps for
 * any string that would need escaping; find_spec('_ssl') is importlib's own loop over
 * sys.meta_path. Python 2 and < 3.4 fail the first try and use the second (ssl import).
 */
const PYTHON = String.raw`{ s python; for p in /usr/bin/python3 python3 /usr/libexec/platform-python python; do if command -v "$p" >/dev/null; then "$p" -I -S -c 'import sys
v=sys.version_info
assert v>=(3,4)
def q(x):
    if type(x) is str and all(" "<=c<="~" and c not in "\\\"" for c in x):return "\""+x+"\""
    import json;return json.dumps(x)
h=any(f.find_spec("_ssl",None,None) is not None for f in sys.meta_path if hasattr(f,"find_spec"))
print("{\"executable\": %s, \"has_sslcontext\": %s, \"type\": %s, \"version\": {\"major\": %d, \"minor\": %d, \"micro\": %d, \"releaselevel\": %s, \"serial\": %d}, \"version_info\": [%d, %d, %d, %s, %d]}"%(q(sys.executable),"true" if h else "false",q(sys.implementation.name),v[0],v[1],v[2],q(v[3]),v[4],v[0],v[1],v[2],q(v[3]),v[4]))' || "$p" -c 'import sys,json
try:
    import ssl; h=hasattr(ssl,"SSLContext")
except Exception:
    h=False
v=sys.version_info
print(json.dumps({"executable":sys.executable,"has_sslcontext":h,"type":sys.implementation.name,"version":{"major":v[0],"minor":v[1],"micro":v[2],"releaselevel":v[3],"serial":v[4]},"version_info":list(v)}))'; break; fi; done; } &`;

const BODIES: Record<FactArea, string> = { min: MIN, network: `${NETWORK}\n${NETWORK_IDS}`, hardware: HARDWARE, virtual: VIRTUAL };

/**
 * The script for the given areas ('min' is always included, as in ansible). While python runs
 * in the background and writes its section to stdout, the 'min' sections (longer than python,
 * a few KiB) go into $r (a command substitution: no temp file, no program started) and are
 * printed once python is done, so no two writers ever share stdout. The other areas print
 * directly after: their output (mounts of a busy node) can be large, and a shell reads a
 * command substitution in small chunks. Sections are found by marker, in any order.
 */
export function factScript(areas: ReadonlySet<FactArea>): string {
  // the ':' keeps `env` from being the substitution's last command, which bash would exec in
  // place, lowering the SHLVL that ansible_env shows
  const parts = [HEADER, PYTHON, `r=$(\n${MIN}\n:\n)`, 'wait', `printf '%s\\n' "$r"`];
  for (const a of ['network', 'hardware', 'virtual'] as const) if (areas.has(a)) parts.push(BODIES[a]);
  return `${parts.join('\n')}\n`;
}

/** Splits script output into sections by marker; text before the first marker is dropped. */
export function splitSections(output: string): Map<string, string> {
  const out = new Map<string, string>();
  const chunks = output.split(`\n${MARKER} `);
  for (const chunk of chunks.slice(1)) {
    const nl = chunk.indexOf('\n');
    const name = nl < 0 ? chunk : chunk.slice(0, nl);
    out.set(name.trim(), nl < 0 ? '' : chunk.slice(nl + 1).replace(/\n+$/, ''));
  }
  return out;
}
