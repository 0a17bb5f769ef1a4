import type { ExecResult } from '../types/connection.js';
import type { FileDiff, ModuleResult } from '../types/module.js';

/** ansible's _filter_non_json_lines: drop lines before the first `{` line and after the last `}` line. */
export function filterNonJsonLines(stdout: string): { json: string; junkAfter: string[] } | undefined {
  const lines = stdout.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim().startsWith('{'));
  if (start < 0) return undefined;
  const rest = lines.slice(start);
  let end = rest.length - 1;
  while (end >= 0 && !rest[end]!.trim().endsWith('}')) end--;
  if (end < 0) return undefined;
  return { json: rest.slice(0, end + 1).join('\n'), junkAfter: rest.slice(end + 1).filter((l) => l.trim() !== '') };
}

/** Like ansible's callback: a diff side that is not text is shown as sorted, indented JSON. */
function diffSide(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  return `${JSON.stringify(sortKeys(v), null, 4)}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

function mapDiff(d: unknown): FileDiff | FileDiff[] | undefined {
  if (Array.isArray(d)) return d.map(mapDiff).filter((x): x is FileDiff => x !== undefined && !Array.isArray(x));
  if (!d || typeof d !== 'object') return undefined;
  const o = d as Record<string, unknown>;
  if (!('before' in o) && !('after' in o)) return undefined;
  return {
    before: diffSide(o.before),
    after: diffSide(o.after),
    ...(typeof o.before_header === 'string' ? { beforeHeader: o.before_header } : {}),
    ...(typeof o.after_header === 'string' ? { afterHeader: o.after_header } : {}),
  };
}

function pyTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

function lines(text: unknown): string[] {
  return typeof text === 'string' && text !== '' ? text.split(/\r\n|\r|\n/).filter((l, i, all) => i < all.length - 1 || l !== '') : [];
}

/** What ansible reports when the module printed no JSON (a traceback, a missing python). */
function moduleFailure(res: ExecResult): ModuleResult {
  const noPython = /tsplay: no python interpreter found/.test(res.stderr);
  const out: ModuleResult = {
    changed: false,
    failed: true,
    module_stdout: res.stdout,
    module_stderr: res.stderr,
    msg: `${noPython ? 'The module failed to execute correctly, you probably need to set the interpreter.' : 'MODULE FAILURE'}\nSee stdout/stderr for the exact error`,
    rc: res.rc,
  };
  if (res.stderr.startsWith('Traceback')) out.exception = res.stderr;
  else if (res.stdout.startsWith('Traceback')) out.exception = res.stdout;
  return out;
}

/**
 * Maps a module's printed JSON to a task result like ansible's _execute_module: internal
 * `_ansible_*` keys dropped, a non-list `results` renamed, stdout/stderr split into lines,
 * facts handed to the run as an effect, diffs in the reporter's shape.
 */
export function mapModuleOutput(res: ExecResult): ModuleResult {
  const found = filterNonJsonLines(res.stdout);
  let data: Record<string, unknown>;
  try {
    if (found === undefined) return moduleFailure(res);
    const parsed: unknown = JSON.parse(found.json);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return moduleFailure(res);
    data = parsed as Record<string, unknown>;
  } catch {
    return moduleFailure(res);
  }
  for (const k of Object.keys(data)) if (k.startsWith('_ansible_') || k === 'add_host' || k === 'add_group') delete data[k];
  for (const k of ['warnings', 'deprecations']) if (Array.isArray(data[k]) && (data[k] as unknown[]).length === 0) delete data[k];
  if ('results' in data && !Array.isArray(data.results)) {
    data.ansible_module_results = data.results;
    delete data.results;
  }
  if ('stdout' in data && !('stdout_lines' in data)) data.stdout_lines = lines(data.stdout);
  if ('stderr' in data && !('stderr_lines' in data)) data.stderr_lines = lines(data.stderr);
  const out: ModuleResult = { ...data, changed: data.changed === true };
  // like ansible's TaskResult.is_failed / is_skipped: any truthy value counts
  for (const k of ['failed', 'skipped'] as const) if (k in data) out[k] = pyTruthy(data[k]);
  const diff = mapDiff(data.diff);
  if (diff !== undefined) out.diff = diff;
  else delete out.diff;
  const facts = data.ansible_facts;
  if (facts && typeof facts === 'object' && !Array.isArray(facts)) {
    const clean = Object.fromEntries(Object.entries(facts as Record<string, unknown>).filter(([k]) => !/^(ansible_)?discovered_interpreter_/.test(k)));
    out.ansible_facts = clean;
    out.effects = [{ kind: 'facts', facts: clean }];
  }
  return out;
}
