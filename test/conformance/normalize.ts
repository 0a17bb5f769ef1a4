import type { HostCounters } from '../../engine/types/events.js';
/**
 * Turns the output of ansible's `json` stdout callback (and tsplay's `--output json`, which has
 * the same shape) into the engine-neutral structure the conformance suite compares.
 *
 * What is compared (see /work/helper-notes/conformance.md): exit code; recap stats per host;
 * per play its name; per task in order its name and, per host, the status plus the printed
 * values (debug `msg` / `var` value, loop items, failure `msg`). Timings, ids, paths, module
 * internals (invocation, stdout of commands unless printed with debug) are not compared.
 *
 * Documented normalizations (both engines go through the same function):
 * - of several json documents (one per playbook file, each with all plays so far) the last counts;
 * - the per-run temp dir (`-e conformance_tmp=DIR`) becomes `<TMP>` in every string;
 * - `ansible.builtin.` / `ansible.legacy.` prefixes are dropped from action names;
 * - a failure `msg` is cut before ansible's "\n\nThe error appears to be in '...'" source
 *   excerpt, and a trailing " (/abs/file.yml:LINE:COL)" (tsplay appends where the error
 *   was found) is removed: locations are worded differently by the engines, not compared;
 * - the json callback cannot tell an ignored failure from a fatal one per task, so
 *   ignore_errors is compared through the stats (`ignored`) and the `failed` status;
 * - a case with `"order": "per-host"` (free / host_pinned plays: the interleaving of hosts
 *   depends on timing) compares, per play, each host's sequence of task results instead of
 *   the task list: what ansible guarantees under those strategies (`perHostOrder`).
 */

export type Status = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable';

export interface NormalizedItem {
  status: Status;
  /** debug output for this item: the `msg`, or `{ <var expression>: value }` for `var:` */
  debug?: unknown;
  /** failure message of this item */
  msg?: unknown;
}

export interface NormalizedHostResult {
  status: Status;
  debug?: unknown;
  msg?: unknown;
  /** per-item results of a loop */
  items?: NormalizedItem[];
}

export interface NormalizedTask {
  name: string;
  hosts: Record<string, NormalizedHostResult>;
}

export interface NormalizedPlay {
  name: string;
  tasks: NormalizedTask[];
  /** per-host order only: each host's results in the order that host ran its tasks */
  byHost?: Record<string, { task: string; result: NormalizedHostResult }[]>;
}

/** The recap counters, the same names in ansible's json callback and tsplay's. */
export type HostStats = HostCounters;

export interface NormalizedRun {
  exitCode: number;
  /** null when the engine printed no parseable json (errors before/while parsing the playbook) */
  plays: NormalizedPlay[] | null;
  stats: Record<string, HostStats> | null;
}

export interface RawRun {
  exitCode: number;
  stdout: string;
  /** the temp dir passed as conformance_tmp; replaced by <TMP> */
  tmp?: string;
}

type Json = Record<string, unknown>;

/** Keys of a debug result that are bookkeeping, not the printed value. */
const DEBUG_META = new Set([
  'action', 'changed', 'failed', 'skipped', 'skip_reason', 'false_condition', 'item', 'ansible_loop_var',
  'ansible_index_var', 'ansible_loop', 'invocation', 'attempts', 'retries',
]);

const STAT_KEYS: readonly (keyof HostStats)[] = ['ok', 'changed', 'unreachable', 'failures', 'skipped', 'rescued', 'ignored'];

export function normalizeRun(raw: RawRun): NormalizedRun {
  const doc = parseJsonOutput(raw.stdout);
  if (doc === null) return { exitCode: raw.exitCode, plays: null, stats: null };
  const scrubbed = replaceTmp(doc, raw.tmp) as Json;
  return {
    exitCode: raw.exitCode,
    plays: asArray(scrubbed['plays']).map((p) => normalizePlay(p as Json)),
    stats: normalizeStats(scrubbed['stats']),
  };
}

/** The json document on stdout; tolerates text printed before it (e.g. a stray warning line). */
export function parseJsonOutput(stdout: string): Json | null {
  const text = stdout.trim();
  if (text === '') return null;
  const tryParse = (s: string): Json | null => {
    try {
      const v: unknown = JSON.parse(s);
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
    } catch {
      return null;
    }
  };
  const whole = tryParse(text);
  if (whole !== null) return whole;
  // several playbooks on the command line: ansible's json callback writes a document at each
  // playbook's stats, each holding every play so far; the last one is the whole run
  const starts = [...text.matchAll(/^\{$/gm)].map((m) => m.index!);
  const docs = starts.map((st, i) => tryParse(text.slice(st, starts[i + 1] ?? text.length)));
  return docs.length === 0 || docs.some((d) => d === null) ? null : docs[docs.length - 1]!;
}

function normalizePlay(p: Json): NormalizedPlay {
  const play = (p['play'] ?? {}) as Json;
  return {
    name: String(play['name'] ?? ''),
    tasks: asArray(p['tasks']).map((t) => normalizeTask(t as Json)),
  };
}

function normalizeTask(t: Json): NormalizedTask {
  const task = (t['task'] ?? {}) as Json;
  const hosts: Record<string, NormalizedHostResult> = {};
  for (const [host, result] of Object.entries((t['hosts'] ?? {}) as Json)) {
    hosts[host] = normalizeHostResult(result as Json);
  }
  return { name: String(task['name'] ?? ''), hosts };
}

export function statusOf(r: Json): Status {
  if (r['unreachable'] === true) return 'unreachable';
  if (r['failed'] === true) return 'failed';
  if (r['skipped'] === true) return 'skipped';
  if (r['changed'] === true) return 'changed';
  return 'ok';
}

export function actionName(r: Json): string {
  return String(r['action'] ?? '').replace(/^ansible\.(builtin|legacy)\./, '');
}

function normalizeHostResult(r: Json): NormalizedHostResult {
  const out: NormalizedHostResult = { status: statusOf(r) };
  const isDebug = actionName(r) === 'debug';
  if (Array.isArray(r['results'])) {
    out.items = r['results'].map((item) => normalizeItem(item as Json, isDebug));
  } else if (isDebug && out.status !== 'skipped' && out.status !== 'failed') {
    out.debug = debugValue(r);
  }
  if (out.status === 'failed' || out.status === 'unreachable') out.msg = failureMsg(r['msg']);
  return out;
}

function normalizeItem(r: Json, isDebug: boolean): NormalizedItem {
  const out: NormalizedItem = { status: statusOf(r) };
  if (isDebug && out.status !== 'skipped' && out.status !== 'failed') out.debug = debugValue(r);
  if (out.status === 'failed' || out.status === 'unreachable') out.msg = failureMsg(r['msg']);
  return out;
}

/** debug prints `msg`, or for `var: EXPR` a key named EXPR (loop and index var keys excluded). */
function debugValue(r: Json): unknown {
  if ('msg' in r) return r['msg'];
  const skip = new Set(DEBUG_META);
  for (const k of ['ansible_loop_var', 'ansible_index_var']) {
    if (typeof r[k] === 'string') skip.add(r[k] as string);
  }
  const rest: Json = {};
  for (const [k, v] of Object.entries(r)) {
    if (!k.startsWith('_ansible') && !skip.has(k)) rest[k] = v;
  }
  return rest;
}

function failureMsg(msg: unknown): unknown {
  if (typeof msg !== 'string') return msg;
  const cut = msg.indexOf('\n\nThe error appears to be in ');
  return (cut >= 0 ? msg.slice(0, cut) : msg).trimEnd().replace(/ \(\/[^()]*:\d+:\d+\)$/, '');
}

function normalizeStats(stats: unknown): Record<string, HostStats> {
  const out: Record<string, HostStats> = {};
  for (const [host, s] of Object.entries((stats ?? {}) as Json)) {
    const src = (s ?? {}) as Json;
    out[host] = Object.fromEntries(STAT_KEYS.map((k) => [k, Number(src[k] ?? 0)])) as unknown as HostStats;
  }
  return out;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Every string with the run's temp dir in it gets `<TMP>` instead (both engines differ there). */
export function replaceTmp(value: unknown, tmp: string | undefined): unknown {
  if (tmp === undefined || tmp === '') return value;
  if (typeof value === 'string') return value.split(tmp).join('<TMP>');
  if (Array.isArray(value)) return value.map((v) => replaceTmp(v, tmp));
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value as Json)) out[replaceTmp(k, tmp) as string] = replaceTmp(v, tmp);
    return out;
  }
  return value;
}

/**
 * Per play, each host's task results in order (tasks emptied): under free and host_pinned
 * ansible fixes only the order of one host's results, not how hosts interleave, and its json
 * callback then writes an entry per host and task. Plays are kept apart (and in order).
 */
export function perHostOrder(run: NormalizedRun): NormalizedRun {
  if (run.plays === null) return run;
  const plays = run.plays.map((p): NormalizedPlay => {
    const byHost: Record<string, { task: string; result: NormalizedHostResult }[]> = {};
    for (const t of p.tasks) {
      for (const [host, result] of Object.entries(t.hosts)) (byHost[host] ??= []).push({ task: t.name, result });
    }
    const sorted = Object.fromEntries(Object.keys(byHost).sort().map((h) => [h, byHost[h]!]));
    return { name: p.name, tasks: [], byHost: sorted };
  });
  return { ...run, plays };
}
