/**
 * Turns an ansible `json` callback report (or tsplay's `--output json`, the same shape) into
 * what the module conformance cases compare: per task and host, a status and the result
 * fields that are deterministic for that module, with each engine's own names replaced.
 */

export type Status = 'ok' | 'changed' | 'skipped' | 'failed';

export interface HostRow {
  readonly status: Status;
  readonly fields: Record<string, unknown>;
  /** Loop results, item by item (empty for a task without a loop). */
  readonly items: readonly { status: Status; fields: Record<string, unknown> }[];
}

export interface TaskRow {
  readonly task: string;
  readonly hosts: Record<string, HostRow>;
}

// copy/template's `src` is ansible's temp file on the host: not comparable.
const FILE_FIELDS = ['dest', 'path', 'checksum', 'mode', 'owner', 'group', 'size', 'state'];

/** Result fields worth comparing, by action; a dotted path reaches inside, `[]` maps a list. */
const FIELDS: Record<string, readonly string[]> = {
  copy: FILE_FIELDS,
  template: FILE_FIELDS,
  file: [...FILE_FIELDS, 'src'],
  command: ['rc', 'stdout', 'stderr', 'cmd', 'msg'],
  shell: ['rc', 'stdout', 'stderr', 'cmd', 'msg'],
  // ansible runs script/raw in a pty (stdout and stderr merged, CRLF, "Shared connection ...
  // closed."); tsplay keeps the streams apart: only rc compares.
  script: ['rc'],
  raw: ['rc'],
  lineinfile: ['msg'],
  blockinfile: ['msg'],
  replace: ['msg'],
  stat: ['stat.exists', 'stat.isdir', 'stat.isreg', 'stat.islnk', 'stat.mode', 'stat.checksum', 'stat.size', 'stat.pw_name', 'stat.gr_name', 'stat.path'],
  slurp: ['content', 'encoding', 'source'],
  find: ['matched', 'examined', 'files[].path', 'files[].mode', 'files[].size'],
  fetch: [],
  get_url: ['dest', 'checksum_dest', 'checksum_src', 'size', 'mode', 'owner', 'group', 'state', 'msg'],
  // unarchive's size is the dest directory's, which tsplay stats before extracting (reported).
  unarchive: ['dest', 'src', 'mode', 'owner', 'group', 'state', 'handler', 'extract_results.rc'],
  sysctl: [],
  systemd_service: ['name', 'state', 'enabled'],
  systemd: ['name', 'state', 'enabled'],
  service: ['name', 'state', 'enabled'],
  user: ['name', 'state', 'uid', 'group', 'home', 'shell', 'system', 'comment'],
  group: ['name', 'state', 'gid', 'system'],
  wait_for: ['state', 'port', 'path', 'search_regex', 'match_groups', 'match_groupdict', 'elapsed'],
};

/** Fields a failed result carries for every module. */
const FAILED_FIELDS = ['msg', 'rc'];

/**
 * Each engine works under its own tag, `mc-ans` or `mc-tsp` (equal lengths, so sizes of
 * symlinks and files that embed a path agree): one spelling for both in what is compared.
 */
export function unEngine<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/mc-(ans|tsp)/g, 'mc-ENG')) as T;
}

export function statusOf(r: Record<string, unknown>): Status {
  if (r.failed === true) return 'failed';
  if (r.skipped === true) return 'skipped';
  return r.changed === true ? 'changed' : 'ok';
}

function pick(r: unknown, path: string): unknown {
  const [head, ...rest] = path.split('.');
  if (head === undefined || r === null || typeof r !== 'object') return '<absent>';
  if (head.endsWith('[]')) {
    const list = (r as Record<string, unknown>)[head.slice(0, -2)];
    if (!Array.isArray(list)) return '<absent>';
    // find's order is the filesystem's, not a contract: compare sorted.
    return list.map((x) => (rest.length ? pick(x, rest.join('.')) : x)).map(String).sort();
  }
  const v = (r as Record<string, unknown>)[head];
  if (v === undefined) return '<absent>';
  return rest.length ? pick(v, rest.join('.')) : v;
}

function fieldsOf(r: Record<string, unknown>, action: string, statusOnly: boolean): Record<string, unknown> {
  if (statusOnly || r.skipped === true) return {};
  const names = r.failed === true ? FAILED_FIELDS : FIELDS[action] ?? [];
  return Object.fromEntries(names.map((n) => [n, pick(r, n)]));
}

interface Report {
  plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[];
}

/** One row per task in run order; tasks in `statusOnly` keep their status and no fields. */
export function summarize(report: unknown, statusOnly: readonly string[] = []): TaskRow[] {
  const rows: TaskRow[] = [];
  for (const play of (report as Report).plays) {
    for (const t of play.tasks) {
      const only = statusOnly.includes(t.task.name);
      const hosts: Record<string, HostRow> = {};
      for (const [host, r] of Object.entries(t.hosts)) {
        const action = String(r.action ?? '').replace(/^ansible\.(builtin|legacy)\./, '');
        const items = Array.isArray(r.results)
          ? (r.results as Record<string, unknown>[]).map((x) => ({ status: statusOf(x), fields: fieldsOf(x, action, only) }))
          : [];
        hosts[host] = { status: statusOf(r), fields: items.length ? {} : fieldsOf(r, action, only), items };
      }
      rows.push({ task: t.task.name, hosts });
    }
  }
  return unEngine(rows);
}
