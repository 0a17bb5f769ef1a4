import type { ExecResult } from '../../types/connection.js';
import type { ModuleContext } from '../../types/module.js';
import { parseProbe, probeScript, unanswered, type ProbeItem, type ProbeResult } from './probe.js';

/**
 * Runs shell text on the host (one round trip) through ctx.probe: the task's become and its
 * `environment:` apply (proxy variables reach curl and apt-get, as they reach ansible's modules).
 * A step that changes the host runs inside ctx.change (the gate).
 */
export function runScript(ctx: ModuleContext, command: string, stdin?: Buffer | string): Promise<ExecResult> {
  return ctx.probe(command, stdin);
}

/**
 * Probes all items in ONE remote command. Only a small file the shell's builtins could not read
 * exactly (textUpTo: NUL bytes, not UTF-8) costs a second one, with the programs.
 */
export async function probe(ctx: ModuleContext, items: readonly ProbeItem[]): Promise<ProbeResult[]> {
  const res = await runScript(ctx, probeScript(items));
  const results = parseProbe(items, res.stdout);
  const again = unanswered(items, results);
  if (again.length === 0) return results;
  const retry = again.map((i) => ({ ...items[i]!, textUpTo: undefined }));
  const second = parseProbe(retry, (await runScript(ctx, probeScript(retry))).stdout);
  again.forEach((i, k) => (results[i] = second[k]!));
  return results;
}

export function dirname(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? '/' : trimmed.slice(0, i);
}

export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Like ansible's backup_local: DEST.PID.YYYY-MM-DD@HH:MM:SS~ */
export function backupName(dest: string, now: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const ts = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}@${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
  return `${dest}.${process.pid}.${ts}~`;
}
