import type { Facts, Sections } from './parse-system.js';

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').filter((l) => l.trim() !== '');
}

/**
 * cmdline (last value wins) and proc_cmdline (repeated keys become lists), split on blanks
 * like python's shlex.split(posix=False) for ordinary kernel command lines.
 */
export function cmdlineFacts(s: Sections): Facts {
  const text = lines(s.get('cmdline'))[0];
  if (!text) return {};
  const cmdline: Record<string, unknown> = {};
  const proc: Record<string, unknown> = {};
  for (const piece of text.trim().split(/\s+/)) {
    const eq = piece.indexOf('=');
    if (eq < 0) {
      cmdline[piece] = true;
      proc[piece] = true;
      continue;
    }
    const [k, v] = [piece.slice(0, eq), piece.slice(eq + 1)];
    cmdline[k] = v;
    const prev = proc[k];
    proc[k] = prev === undefined || prev === true ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return { cmdline, proc_cmdline: proc };
}

export function loadavgFacts(s: Sections): Facts {
  const [m1, m5, m15] = (lines(s.get('loadavg'))[0] ?? '').split(/\s+/).map(Number);
  return m15 === undefined || Number.isNaN(m15) ? {} : { loadavg: { '1m': m1, '5m': m5, '15m': m15 } };
}

export function sshHostKeyFacts(s: Sections): Facts {
  const out: Facts = {};
  for (const l of lines(s.get('ssh_host_keys'))) {
    const [alg, type, key] = l.trim().split(/\s+/);
    if (!key) continue;
    out[`ssh_host_key_${alg}_public`] = key;
    out[`ssh_host_key_${alg}_public_keytype`] = type;
  }
  return out;
}

const FORM_FACTOR = [
  'Unknown', 'Other', 'Unknown', 'Desktop', 'Low Profile Desktop', 'Pizza Box', 'Mini Tower', 'Tower', 'Portable',
  'Laptop', 'Notebook', 'Hand Held', 'Docking Station', 'All In One', 'Sub Notebook', 'Space-saving', 'Lunch Box',
  'Main Server Chassis', 'Expansion Chassis', 'Sub Chassis', 'Bus Expansion Chassis', 'Peripheral Chassis', 'RAID Chassis',
  'Rack Mount Chassis', 'Sealed-case PC', 'Multi-system', 'CompactPCI', 'AdvancedTCA', 'Blade', 'Blade Enclosure',
  'Tablet', 'Convertible', 'Detachable', 'IoT Gateway', 'Embedded PC', 'Mini PC', 'Stick PC',
];

const DMI_KEYS: Record<string, string> = {
  bios_date: 'bios_date', bios_vendor: 'bios_vendor', bios_version: 'bios_version', board_asset_tag: 'board_asset_tag',
  board_name: 'board_name', board_serial: 'board_serial', board_vendor: 'board_vendor', board_version: 'board_version',
  chassis_asset_tag: 'chassis_asset_tag', chassis_serial: 'chassis_serial', chassis_vendor: 'chassis_vendor',
  chassis_version: 'chassis_version', form_factor: 'chassis_type', product_name: 'product_name',
  product_serial: 'product_serial', product_uuid: 'product_uuid', product_version: 'product_version', system_vendor: 'sys_vendor',
};

/** DMI names from /sys; 'NA' for what is absent or unreadable (serials need root), like ansible. */
export function dmiFacts(s: Sections): Facts {
  const raw: Record<string, string> = {};
  for (const l of lines(s.get('dmi'))) {
    const eq = l.indexOf('=');
    if (eq > 0) raw[l.slice(0, eq)] = l.slice(eq + 1);
  }
  const out: Facts = {};
  for (const [fact, file] of Object.entries(DMI_KEYS)) {
    const v = raw[file];
    if (v === undefined) out[fact] = 'NA';
    else if (fact === 'form_factor') out[fact] = FORM_FACTOR[Number(v)] ?? `unknown (${v})`;
    else out[fact] = v;
  }
  return out;
}

/** 64 on the 64-bit machines tsplay targets; ansible reads it from python's own build. */
export function userspaceBitsFacts(machine: string): Facts {
  return { userspace_bits: /64|s390x/.test(machine) ? '64' : '32' };
}
