/**
 * The output of Go's text/tabwriter (cells end at '\t', the last cell of a line is not aligned),
 * with kubeadm's settings for check-expiration: minwidth 10, padding 3, padchar ' ', no flags.
 * A column's width is decided per block of consecutive lines that have a cell in that column,
 * so the blank line between kubeadm's two tables makes them align independently.
 */
export function tabwrite(text: string, minwidth = 10, padding = 3): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  format(lines, 0, lines.length, [], out, minwidth, padding);
  return out.join('\n');
}

const width = (s: string): number => [...s].length;

function format(lines: string[][], line0: number, line1: number, widths: number[], out: string[], minwidth: number, padding: number): void {
  const column = widths.length;
  let start = line0;
  for (let i = line0; i < line1; i++) {
    if (column >= (lines[i] as string[]).length - 1) continue;
    writeLines(lines, start, i, widths, out);
    const blockStart = i;
    let w = minwidth;
    for (; i < line1; i++) {
      const line = lines[i] as string[];
      if (column >= line.length - 1) break;
      w = Math.max(w, width(line[column] as string) + padding);
    }
    format(lines, blockStart, i, [...widths, w], out, minwidth, padding);
    start = i;
    i--; // the outer loop's i++ revisits the line that ended the block
  }
  writeLines(lines, start, line1, widths, out);
}

function writeLines(lines: string[][], from: number, to: number, widths: readonly number[], out: string[]): void {
  for (let i = from; i < to; i++) {
    const cells = lines[i] as string[];
    out.push(cells.map((c, j) => (j < widths.length ? c + ' '.repeat(Math.max(0, (widths[j] as number) - width(c))) : c)).join(''));
  }
}

/**
 * apimachinery's duration.ShortHumanDuration: "<invalid>" below -1 s (tolerating clock skew),
 * then s, m, h, d (below 365 days) and y, each truncated toward zero.
 */
export function shortHumanDuration(ms: number): string {
  const t = (x: number): number => Math.trunc(x);
  const seconds = t(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = t(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = t(ms / 3_600_000);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${t(hours / 24)}d`;
  return `${t(ms / 3_600_000 / 24 / 365)}y`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go layout "Jan 02, 2006 15:04 MST" for a UTC time (x509 NotAfter is UTC). */
export function kubeadmDate(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())}, ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}
