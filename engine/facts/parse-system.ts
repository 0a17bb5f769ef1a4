/** Parsers for the 'min' sections: platform, distribution, user, env, dns, selinux, managers. */
export type Facts = Record<string, unknown>;
export type Sections = ReadonlyMap<string, string>;

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((l) => l.trim() !== '');
}

/** KEY=value / KEY="value" files (os-release, lsb-release, selinux config). */
export function parseKeyValues(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of lines(text)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l.trim());
    if (m) out[m[1]] = m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return out;
}

/**
 * `uname -snrvm`: fields joined by one space in POSIX's order; only the version may hold
 * spaces (runs of them too: the build date pads single-digit days), so it is everything
 * between the release and the last word.
 */
export function platformFacts(s: Sections): Facts {
  const words = (lines(s.get('platform'))[0] ?? '').split(' ');
  const [system = '', nodename = '', kernel = ''] = words;
  const machine = words.length > 4 ? words[words.length - 1] : '';
  const version = words.slice(3, -1).join(' ');
  // Like python's socket.getfqdn(): the first name of the host's address with a dot, else the first.
  const names = (lines(s.get('fqdn'))[0] ?? '').split(/\s+/).slice(1);
  const fqdn = names.find((n) => n.includes('.')) ?? names[0] ?? nodename;
  const out: Facts = {
    system,
    kernel,
    kernel_version: version,
    machine,
    architecture: machine,
    userspace_architecture: machine,
    nodename,
    hostname: nodename.split('.')[0],
    fqdn,
    domain: fqdn.split('.').slice(1).join('.'),
  };
  const machineId = lines(s.get('machine_id'))[0];
  if (machineId) out.machine_id = machineId;
  return out;
}

/** os-release ID → ansible's distribution name (distribution.py's own spelling). */
const DISTRO_NAMES: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', rocky: 'Rocky', almalinux: 'AlmaLinux', centos: 'CentOS', rhel: 'RedHat',
  fedora: 'Fedora', ol: 'OracleLinux', amzn: 'Amazon', sles: 'SLES', 'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed', arch: 'Archlinux', alpine: 'Alpine', linuxmint: 'Linux Mint',
  raspbian: 'Raspbian', kali: 'Kali', devuan: 'Devuan', flatcar: 'Flatcar', openEuler: 'openEuler',
};

const FAMILIES: Record<string, string[]> = {
  RedHat: ['RedHat', 'Fedora', 'CentOS', 'OracleLinux', 'Amazon', 'AlmaLinux', 'Rocky', 'openEuler'],
  Debian: ['Debian', 'Ubuntu', 'Raspbian', 'Linux Mint', 'Devuan', 'Kali'],
  Suse: ['SLES', 'openSUSE Leap', 'openSUSE Tumbleweed'],
  Archlinux: ['Archlinux'],
  Alpine: ['Alpine'],
};

function osFamily(distribution: string): string {
  for (const [family, names] of Object.entries(FAMILIES)) if (names.includes(distribution)) return family;
  return distribution;
}

/** Debian takes its point release from /etc/debian_version (12.11), RHEL-likes from redhat-release. */
export function distributionFacts(s: Sections): Facts {
  const os = parseKeyValues(s.get('os_release'));
  const id = os.ID ?? 'NA';
  const distribution = DISTRO_NAMES[id] ?? (os.NAME?.split(' ')[0] || 'NA');
  let version = os.VERSION_ID ?? 'NA';
  let release = os.VERSION_CODENAME || /\(([^)]+)\)/.exec(os.VERSION ?? '')?.[1] || 'NA';
  const debianVersion = lines(s.get('debian_version'))[0];
  if (distribution === 'Debian' && debianVersion && /^\d+(\.\d+)*$/.test(debianVersion)) version = debianVersion;
  const redhat = lines(s.get('redhat_release'))[0];
  if (osFamily(distribution) === 'RedHat' && redhat) {
    version = /release ([\d.]+)/.exec(redhat)?.[1] ?? version;
    release = /\(([^)]+)\)/.exec(redhat)?.[1] ?? release;
  }
  const [major, minor] = version.split('.');
  const out: Facts = {
    distribution,
    distribution_version: version,
    distribution_major_version: major,
    distribution_release: release,
    os_family: osFamily(distribution),
  };
  if (minor !== undefined) out.distribution_minor_version = minor;
  return out;
}

/** lsb: /etc/lsb-release when present; on hosts with the lsb_release tool, the same from os-release. */
export function lsbFacts(s: Sections, dist: Facts): Facts {
  const text = s.get('lsb_release') ?? '';
  const lsb = parseKeyValues(text);
  if (lsb.DISTRIB_ID) {
    const release = lsb.DISTRIB_RELEASE ?? '';
    return { lsb: { id: lsb.DISTRIB_ID, release, major_release: release.split('.')[0], codename: lsb.DISTRIB_CODENAME, description: lsb.DISTRIB_DESCRIPTION } };
  }
  if (!text.includes('@lsb_release_present')) return {};
  const os = parseKeyValues(s.get('os_release'));
  const release = String(dist.distribution_major_version);
  return { lsb: { codename: os.VERSION_CODENAME, description: os.PRETTY_NAME, id: dist.distribution, major_release: release.split('.')[0], release } };
}

/**
 * "@ids ruid euid rgid egid" (the shell's /proc/self/status) and the passwd line of the
 * effective uid: its name is the one `id` would print (both are getpwuid), '' without one.
 */
export function userFacts(s: Sections): Facts {
  const [idLine = '', pw = ''] = lines(s.get('user'));
  const [ruid = '', uid = '', rgid = '', gid = ''] = idLine.split(' ').slice(1);
  const f = pw.split(':');
  return {
    user_id: pw === '' ? '' : f[0],
    user_uid: Number(f[2] ?? uid),
    user_gid: Number(f[3] ?? gid),
    user_gecos: f[4] ?? '',
    user_dir: f[5] ?? '',
    user_shell: f[6] ?? '',
    real_user_id: Number(ruid),
    effective_user_id: Number(uid),
    real_group_id: Number(rgid),
    // ansible 2.14 reports os.getgid() here (not getegid): keep the quirk.
    effective_group_id: Number(rgid),
  };
}

/** `env` output; a line without `=` continues the previous value (values may hold newlines). */
export function envFacts(s: Sections): Facts {
  const env: Record<string, string> = {};
  let last: string | undefined;
  for (const l of (s.get('env') ?? '').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(l);
    if (m) env[(last = m[1])] = m[2];
    else if (last !== undefined) env[last] += `\n${l}`;
  }
  return { env };
}

export function dnsFacts(s: Sections): Facts {
  const dns: Record<string, unknown> = {};
  for (const l of lines(s.get('dns'))) {
    const [key, ...vals] = l.trim().split(/\s+/);
    if (key.startsWith('#') || key.startsWith(';')) continue;
    if (key === 'nameserver') ((dns.nameservers ??= []) as string[]).push(vals[0]);
    else if (key === 'domain') dns.domain = vals[0];
    else if (key === 'search') dns.search = vals;
    else if (key === 'sortlist') dns.sortlist = vals;
    else if (key === 'options') dns.options = Object.fromEntries(vals.map((o) => (o.includes(':') ? o.split(':', 2) : [o, true])));
  }
  return { dns };
}

export function selinuxFacts(s: Sections): Facts {
  const l = lines(s.get('selinux'));
  if (l[0] !== 'enabled') return { selinux: { status: 'disabled' }, selinux_python_present: true };
  const conf = parseKeyValues(l.join('\n'));
  const mode = l[1] === '1' ? 'enforcing' : 'permissive';
  const policyvers = Number(l.find((x, i) => i > 1 && /^\d+$/.test(x)));
  return {
    selinux: { status: 'enabled', mode, config_mode: conf.SELINUX ?? 'unknown', type: conf.SELINUXTYPE ?? 'unknown', policyvers },
    selinux_python_present: true,
  };
}

export function serviceMgrFacts(s: Sections): Facts {
  const l = lines(s.get('service_mgr'));
  const comm = l[0] ?? '';
  const has = (flag: string) => l.includes(flag);
  const init = l.find((x) => x.startsWith('@init '))?.slice(6) ?? '';
  // Like ansible: PID 1's name wins unless it is a generic init or a shell (containers).
  if (comm !== '' && comm !== 'init' && !comm.endsWith('sh') && !comm.startsWith('@')) {
    return { service_mgr: comm === 'runit-init' ? 'runit' : comm === 'openrc-init' ? 'openrc' : comm };
  }
  if (has('@systemd-booted')) return { service_mgr: 'systemd' };
  if (has('@openrc')) return { service_mgr: 'openrc' };
  if (init.endsWith('systemd')) return { service_mgr: 'systemd' };
  return { service_mgr: has('@initd') ? 'sysvinit' : 'service' };
}

export function pkgMgrFacts(s: Sections, osFamilyName: string): Facts {
  const found = lines(s.get('pkg_mgr'));
  if (osFamilyName === 'RedHat') {
    for (const p of ['dnf5', 'dnf', 'yum', 'microdnf']) if (found.includes(p)) return { pkg_mgr: p };
  }
  const order: [string, string][] = [['apt-get', 'apt'], ['zypper', 'zypper'], ['apk', 'apk'], ['pacman', 'pacman'], ['emerge', 'portage'], ['pkg', 'pkgng'], ['dnf', 'dnf'], ['yum', 'yum']];
  for (const [bin, name] of order) if (found.includes(bin)) return { pkg_mgr: name };
  return { pkg_mgr: 'unknown' };
}

export function miscFacts(s: Sections): Facts {
  return {
    apparmor: { status: lines(s.get('apparmor'))[0] === 'enabled' ? 'enabled' : 'disabled' },
    fips: lines(s.get('fips'))[0] === '1',
  };
}
