import type { Facts, Sections } from './parse-system.js';

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((l) => l.trim() !== '');
}

const VM_PRODUCTS: Record<string, string> = { KVM: 'kvm', 'KVM Server': 'kvm', Bochs: 'kvm', AHV: 'kvm', 'VMware Virtual Platform': 'VMware', VirtualBox: 'virtualbox' };
const VM_VENDORS: Record<string, string> = { QEMU: 'kvm', oVirt: 'oVirt', 'Microsoft Corporation': 'VirtualPC', VMware: 'VMware', Xen: 'xen', 'Amazon EC2': 'kvm' };

/**
 * virtualization_type/role and the tech lists, following the order of ansible's
 * virtual/linux.py for the cheap checks: cgroups, PID 1's container= variable,
 * /run/systemd/container, /.dockerenv, xen, then DMI names. The first hit names the type.
 */
export function virtualFacts(s: Sections): Facts {
  const guest = new Set<string>();
  const host = new Set<string>();
  let type: string | undefined;
  let role: string | undefined;
  const found = (t: string, r: 'guest' | 'host' = 'guest') => {
    (r === 'guest' ? guest : host).add(t);
    if (type === undefined) [type, role] = [t, r];
  };
  for (const l of lines(s.get('virt_cgroup'))) {
    if (/\/docker(\/|-[0-9a-f]+\.scope)/.test(l)) found('docker');
    if (/\/lxc\/|\/machine\.slice\/machine-lxc/.test(l)) found('lxc');
    if (l.includes('/system.slice/containerd.service')) found('containerd');
  }
  for (const l of lines(s.get('virt_environ'))) {
    if (l === 'container=lxc') found('lxc');
    else if (l === 'container=podman') found('podman');
    else if (/^container=./.test(l)) found('container');
  }
  const systemdContainer = lines(s.get('virt_systemd'))[0];
  if (systemdContainer) found(systemdContainer);
  const files = lines(s.get('virt_files'));
  if (files.includes('/.dockerenv') || files.includes('/.dockerinit')) found('docker');
  if (guest.size > 0) guest.add('container');
  if (files.includes('/proc/xen')) found('xen', files.some((f) => f.includes('control_d')) ? 'host' : 'guest');
  const [product = '', vendor = ''] = lines(s.get('virt_dmi'));
  const vm = VM_PRODUCTS[product] ?? VM_VENDORS[vendor];
  if (vm) found(vm);
  if (files.includes('/dev/kvm')) found('kvm', 'host');
  return {
    virtualization_type: type ?? 'NA',
    virtualization_role: role ?? 'NA',
    virtualization_tech_guest: [...guest],
    virtualization_tech_host: [...host],
  };
}
