/** `systemctl show` output and the unit states ansible's systemd_service reasons about. */

/** Like ansible's parse_systemctl_show: KEY=VALUE lines; a value opening with '{' may span lines. */
export function parseSystemctlShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    let value = line.slice(eq + 1);
    if (value.trimStart().startsWith('{') && !value.trimEnd().endsWith('}') && key.startsWith('Exec')) {
      const parts = [value];
      while (i + 1 < lines.length && !parts[parts.length - 1]!.trimEnd().endsWith('}')) parts.push(lines[++i]!);
      value = parts.join('\n');
    }
    out[key] = value;
  }
  return out;
}

export function isRunning(status: Readonly<Record<string, string>>): boolean {
  return status.ActiveState === 'active' || status.ActiveState === 'activating';
}

export function isDeactivating(status: Readonly<Record<string, string>>): boolean {
  return status.ActiveState === 'deactivating';
}

/** Like ansible: `systemctl is-enabled -l` rc 0 means enabled, except 'indirect' and 'alias'. */
export function isEnabled(rc: number, out: string): boolean {
  const lines = out.split('\n').filter((l) => l !== '');
  if (rc !== 0) return false;
  return !(lines.length === 1 && (lines[0] === 'indirect' || lines[0] === 'alias'));
}

/** "Unit X not found" style answers that systemctl gives with rc 0 on some versions. */
export function requestWasIgnored(out: string): boolean {
  return out.includes('Ignoring request') || out.includes('ignoring request') || out.includes('ignoring command');
}
