import type { RunKind } from './engine-run.js';
import type { Engine } from './options.js';

/** One measured run, as printed and as written to JSON. */
export interface BenchRow {
  readonly hosts: number;
  readonly engine: Engine;
  readonly run: RunKind;
  readonly tasks: number;
  /** The median of samples. */
  readonly wallSeconds: number;
  /** Each measurement's wall seconds, in the order taken. */
  readonly samples: readonly number[];
  /** wall / (tasks × hosts), in milliseconds. */
  readonly overheadMs: number;
  /** ansible wall / tsplay wall for the same hosts and run; on the tsplay row only. */
  readonly ratio: number | null;
  readonly exitCode: number;
  readonly changed: number;
  readonly failed: number;
  readonly unreachable: number;
  /** Recap lines found (should equal hosts). */
  readonly recapHosts: number;
  /** Empty when the run is sound; otherwise why it is not (printed in the check column). */
  readonly warnings: readonly string[];
  readonly logFile: string;
}

export const HEADER = ['hosts', 'engine', 'run', 'wall s', 'ms/task/host', 'ansible/tsplay', 'changed', 'check'] as const;

function cells(r: BenchRow): string[] {
  return [
    String(r.hosts), r.engine, r.run, r.wallSeconds.toFixed(2), r.overheadMs.toFixed(1),
    r.ratio === null ? '-' : `${r.ratio.toFixed(1)}x`, String(r.changed), r.warnings.length === 0 ? 'ok' : `WARNING: ${r.warnings.join('; ')}`,
  ];
}

/** A Markdown table (pastes into an issue as is), columns padded for the terminal. */
export function renderTable(rows: readonly BenchRow[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((s, i) => s.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(HEADER), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n') + '\n';
}

/** A printed table row read back (the smoke test and anyone scraping the output). */
export interface ParsedRow {
  readonly hosts: number;
  readonly engine: string;
  readonly run: string;
  readonly wallSeconds: number;
  readonly overheadMs: number;
  readonly ratio: number | null;
  readonly changed: number;
  readonly check: string;
}

/** Reads the rows of the first table in text; throws when a row does not have every column right. */
export function parseTable(text: string): ParsedRow[] {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('|'));
  const headerAt = lines.findIndex((l) => l.split('|').map((s) => s.trim()).includes('ansible/tsplay'));
  if (headerAt < 0) throw new Error('no bench table in the output');
  const rows: ParsedRow[] = [];
  for (const l of lines.slice(headerAt + 2)) {
    const c = l.slice(1, -1).split('|').map((s) => s.trim());
    if (c.length !== HEADER.length) throw new Error(`bench table row has ${c.length} columns: ${l}`);
    const num = (s: string, what: string): number => {
      const n = Number(s);
      if (!Number.isFinite(n)) throw new Error(`bench table: ${what} '${s}' is not a number in: ${l}`);
      return n;
    };
    rows.push({
      hosts: num(c[0]!, 'hosts'), engine: c[1]!, run: c[2]!, wallSeconds: num(c[3]!, 'wall'), overheadMs: num(c[4]!, 'overhead'),
      ratio: c[5] === '-' ? null : num(c[5]!.replace(/x$/, ''), 'ratio'), changed: num(c[6]!, 'changed'), check: c[7]!,
    });
  }
  return rows;
}
