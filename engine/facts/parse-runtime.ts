import type { Facts, Sections } from './parse-system.js';

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((l) => l.trim() !== '');
}

/** ansible_python / ansible_python_version: the host's python3, as the script's one-liner printed it. */
export function pythonFacts(s: Sections): Facts {
  const text = lines(s.get('python'))[0];
  if (!text) return {};
  try {
    const py = JSON.parse(text) as { version: { major: number; minor: number; micro: number } };
    return { python: py, python_version: `${py.version.major}.${py.version.minor}.${py.version.micro}` };
  } catch {
    return {};
  }
}

/** ansible's chroot collector: / is another inode or device than /proc/1/root (test's -ef); nothing when /proc/1/root is unreadable. */
export function chrootFacts(s: Sections): Facts {
  const verdict = lines(s.get('chroot'))[0];
  return verdict === 'same' || verdict === 'chroot' ? { is_chroot: verdict === 'chroot' } : {};
}

/** ansible's capabilities collector (capsh --print's "Current:" line), N/A without capsh. */
export function capabilityFacts(s: Sections): Facts {
  const current = lines(s.get('caps')).find((l) => l.startsWith('Current:'));
  if (current === undefined) return { system_capabilities: 'N/A', system_capabilities_enforced: 'N/A' };
  if (current.split(':')[1]!.trim() === '=ep') return { system_capabilities: [], system_capabilities_enforced: 'False' };
  return { system_capabilities: current.split('=')[1]!.split(',').map((c) => c.trim()), system_capabilities_enforced: 'True' };
}

/** Storage identity facts of ansible's hardware-independent collectors: iSCSI IQN, NVMe host NQN, FC WWNs. */
export function storageIdFacts(s: Sections): Facts {
  const iqn = lines(s.get('iscsi')).find((l) => l.startsWith('InitiatorName='))?.slice('InitiatorName='.length).trim() ?? '';
  const nqn = lines(s.get('nvme'))[0]?.trim() ?? '';
  return { iscsi_iqn: iqn, hostnqn: nqn, fibre_channel_wwn: lines(s.get('fc_wwn')).map((l) => l.trim().replace(/^0x/, '')) };
}

/** ansible's distribution_file_* for os-release based detection (Debian family, others by os-release). */
export function distributionFileFacts(s: Sections, dist: Facts): Facts {
  if (!s.has('os_release')) return {};
  if (dist.os_family === 'RedHat' && s.has('redhat_release')) return { distribution_file_path: '/etc/redhat-release', distribution_file_variety: 'RedHat', distribution_file_parsed: true };
  if (dist.os_family === 'Debian') return { distribution_file_path: '/etc/os-release', distribution_file_variety: 'Debian', distribution_file_parsed: true };
  return {};
}
