/** One host's PLAY RECAP line (same layout from ansible-playbook and tsplay). */
export interface RecapLine {
  readonly host: string;
  readonly ok: number;
  readonly changed: number;
  readonly unreachable: number;
  readonly failed: number;
  readonly skipped: number;
  readonly rescued: number;
  readonly ignored: number;
}

const LINE_RE = /^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)/;

/** The host lines after the last PLAY RECAP banner; [] when there is none (a crashed run). */
export function parseRecap(output: string): RecapLine[] {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const at = plain.lastIndexOf('PLAY RECAP');
  if (at < 0) return [];
  const out: RecapLine[] = [];
  for (const line of plain.slice(at).split('\n').slice(1)) {
    const m = LINE_RE.exec(line.trim());
    if (!m) continue;
    const [ok, changed, unreachable, failed, skipped, rescued, ignored] = m.slice(2).map(Number) as [number, number, number, number, number, number, number];
    out.push({ host: m[1]!, ok, changed, unreachable, failed, skipped, rescued, ignored });
  }
  return out;
}

/** Sums over hosts. */
export function recapTotals(lines: readonly RecapLine[]): Omit<RecapLine, 'host'> {
  const sum = (k: keyof Omit<RecapLine, 'host'>): number => lines.reduce((a, l) => a + l[k], 0);
  return { ok: sum('ok'), changed: sum('changed'), unreachable: sum('unreachable'), failed: sum('failed'), skipped: sum('skipped'), rescued: sum('rescued'), ignored: sum('ignored') };
}
