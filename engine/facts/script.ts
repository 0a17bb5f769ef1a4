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

/** `id` once (not five times): the effective uid is the euid= field when there is one, else uid=. */
const USER = 's user; u=$(id); echo "$u"; case $u in *euid=*) u=${u#*euid=};; *) u=${u#uid=};; esac; u=${u%%[!0-9]*}; getent passwd "$u" || grep "^[^:]*:[^:]*:$u:" /etc/passwd';

const MIN = String.raw`s platform; uname -s -n -r -m; uname -v
s fqdn; set -- $(getent hosts "$(uname -n)"); [ -n "$1" ] && getent hosts "$1"
s machine_id; c /var/lib/dbus/machine-id || c /etc/machine-id
s os_release; c /etc/os-release || c /usr/lib/os-release
s debian_version; c /etc/debian_version
s redhat_release; c /etc/redhat-release
s lsb_release; c /etc/lsb-release; command -v lsb_release >/dev/null && echo @lsb_release_present
s python; for p in /usr/bin/python3 python3 /usr/libexec/platform-python python; do if command -v "$p" >/dev/null; then "$p" -I -S -c 'import sys,json
from importlib.util import find_spec
v=sys.version_info
print(json.dumps({"executable":sys.executable,"has_sslcontext":find_spec("_ssl") is not None,"type":sys.implementation.name,"version":{"major":v[0],"minor":v[1],"micro":v[2],"releaselevel":v[3],"serial":v[4]},"version_info":list(v)}))' || "$p" -c 'import sys,json
try:
    import ssl; h=hasattr(ssl,"SSLContext")
except Exception:
    h=False
v=sys.version_info
print(json.dumps({"executable":sys.executable,"has_sslcontext":h,"type":sys.implementation.name,"version":{"major":v[0],"minor":v[1],"micro":v[2],"releaselevel":v[3],"serial":v[4]},"version_info":list(v)}))'; break; fi; done
s chroot; stat -c %d:%i / /proc/1/root/.
s caps; command -v capsh >/dev/null && capsh --print
${USER}
s date; date +'%s %N %z %Z'; date -d @1704067200 +'%z %Z'; date -d @1719792000 +'%z %Z'
s dns; c /etc/resolv.conf
s selinux; if [ -d /sys/fs/selinux ]; then echo enabled; c /sys/fs/selinux/enforce; echo; grep -E '^SELINUX(TYPE)?=' /etc/selinux/config; c /sys/fs/selinux/policyvers; echo; fi; command -v getenforce >/dev/null && echo python_tools
s apparmor; [ -d /sys/kernel/security/apparmor ] && echo enabled
s service_mgr; c /proc/1/comm; [ -d /run/systemd/system ] && echo @systemd-booted; [ -e /sbin/openrc ] && echo @openrc; [ -d /etc/init.d ] && echo @initd; echo "@init $(readlink -f /sbin/init)"
s pkg_mgr; for p in apt-get dnf yum microdnf zypper apk pacman emerge pkg; do command -v $p >/dev/null && echo $p; done; [ -e /usr/bin/dnf5 ] && echo dnf5
s fips; c /proc/sys/crypto/fips_enabled
s cmdline; c /proc/cmdline
s loadavg; c /proc/loadavg
s ssh_host_keys; for a in dsa rsa ecdsa ed25519; do f=/etc/ssh/ssh_host_"$a"_key.pub; [ -r "$f" ] && { printf '%s ' "$a"; c "$f"; }; done
s env; env`;

// Plain strings: these lines use sh's ${var##*/} and ${var:--}, which a template literal would eat.
const NETWORK_IDS = String.raw`s iscsi; c /etc/iscsi/initiatorname.iscsi
s nvme; c /etc/nvme/hostnqn
s fc_wwn; cat /sys/class/fc_host/*/port_name`;

const NETWORK = [
  's route4; ip -4 route get 8.8.8.8',
  's route6; ip -6 route get 2404:6800:400a:800::1012',
  's ipaddr; ip addr show',
  's sysnet; for d in /sys/class/net/*; do [ -d "$d" ] || continue; a=; m=; o=; t=; f=; sp=',
  'read -r a < "$d/address"; read -r m < "$d/mtu"; read -r o < "$d/operstate"; read -r t < "$d/type"; read -r f < "$d/flags"; read -r sp < "$d/speed"',
  'b=-; [ -d "$d/bridge" ] && b=bridge; [ -d "$d/bonding" ] && b=bonding; p=-; [ -e "$d/device" ] && p=$(basename "$(readlink "$d/device")")',
  'echo "${d##*/} ${a:--} ${m:--} ${o:--} ${t:--} ${f:--} ${sp:--} $b $p"',
  'if [ $b = bridge ]; then bid=; stp=; read -r bid < "$d/bridge/bridge_id"; read -r stp < "$d/bridge/stp_state"',
  'printf "@bridge %s %s %s" "${d##*/}" "${bid:--}" "${stp:--}"; for x in "$d"/brif/*; do [ -e "$x" ] && printf " %s" "${x##*/}"; done; echo; fi; done',
].join('\n');

const HARDWARE = String.raw`s meminfo; cat /proc/meminfo
s cpuinfo; grep -E '^(processor|physical id|core id|cpu cores|siblings|vendor_id|model name)' /proc/cpuinfo; echo "@nproc $(nproc)"
s mounts; cat /proc/mounts
s mountinfo; cat /proc/self/mountinfo
s statfs; set --; while read -r dev mnt rest; do case "$dev" in /*|*:/*) case "$mnt" in *\\*) ;; *) set -- "$@" "$mnt";; esac;; esac; done < /proc/mounts; [ $# -gt 0 ] && stat -f -c '%S %s %b %f %a %c %d %n' "$@"
s uptime; c /proc/uptime
s dmi; [ -d /sys/devices/virtual/dmi/id ] && for f in bios_date bios_vendor bios_version board_asset_tag board_name board_serial board_vendor board_version chassis_asset_tag chassis_serial chassis_vendor chassis_version chassis_type product_name product_serial product_uuid product_version sys_vendor; do v=; read -r v < /sys/devices/virtual/dmi/id/"$f" && echo "$f=$v"; done`;

const VIRTUAL = String.raw`s virt_cgroup; c /proc/1/cgroup
s virt_environ; tr '\0' '\n' < /proc/1/environ | grep '^container='
s virt_systemd; c /run/systemd/container
s virt_files; for f in /.dockerenv /.dockerinit /proc/xen /dev/kvm; do [ -e $f ] && echo $f; done; c /proc/xen/capabilities
s virt_dmi; p=; v=; read -r p < /sys/devices/virtual/dmi/id/product_name; read -r v < /sys/devices/virtual/dmi/id/sys_vendor; echo "$p"; echo "$v"`;

const BODIES: Record<FactArea, string> = { min: MIN, network: `${NETWORK}\n${NETWORK_IDS}`, hardware: HARDWARE, virtual: VIRTUAL };

/** The script for the given areas ('min' is always included, as in ansible). */
export function factScript(areas: ReadonlySet<FactArea>): string {
  const parts = [HEADER, MIN];
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
