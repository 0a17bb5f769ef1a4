import { selectHosts, applyLimit, type Inventory } from '../inventory/index.js';
import type { Node, Play, Playbook, RawVars, TaskNode } from '../model/types.js';
import { tagsSelected } from '../run/tags.js';
import { pythonRepr, type Templar } from '../template/index.js';
import { LazyVars } from '../vars/var-source.js';
import type { RunRequest } from './request.js';

/** What templating a play's fields needs at listing time: play vars under extra vars (ansible's post_validate). */
interface PlayScope {
  readonly templar: Templar;
  readonly vars: LazyVars;
}

function playScope(play: Play, req: RunRequest, templar: Templar): PlayScope {
  const vars = new LazyVars(
    [
      { layer: 'play_vars', source: 'play vars', vars: (play.kw.vars ?? {}) as RawVars },
      { layer: 'extra_vars', source: 'extra vars (-e)', vars: req.extraVars },
    ],
    templar,
  );
  return { templar, vars };
}

function render(ps: PlayScope, v: unknown): unknown {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%')) ? ps.templar.template(v, ps.vars) : v;
}

function tagsOf(ps: PlayScope, raw: readonly unknown[] | undefined): string[] {
  return (raw ?? []).flatMap((t) => {
    const v = render(ps, t);
    return Array.isArray(v) ? v.map(String) : [String(v)];
  });
}

interface Listed {
  readonly name: string;
  readonly tags: readonly string[];
}

/** ansible's Task.get_name: "role : name" for named role tasks; include_role (IncludeRole.get_name) and unnamed tasks have no prefix. */
function taskTitle(t: TaskNode): string {
  if (t.name === undefined || t.name === '') return t.actionWritten ?? t.action;
  if (t.role === undefined || t.dynamic === 'include_role') return t.name;
  return `${t.role.name} : ${t.name}`;
}

/**
 * Like ansible-playbook's _process_block: only each block's `block:` list is listed (its
 * rescue and always sections are not), tasks filtered by --tags/--skip-tags (never included).
 */
function listTasks(nodes: readonly Node[], inherited: readonly string[], ps: PlayScope, req: RunRequest, out: Listed[]): void {
  for (const n of nodes) {
    const tags = [...inherited, ...tagsOf(ps, n.kw.tags)];
    if (n.kind === 'block') {
      listTasks(n.block, tags, ps, req, out);
      continue;
    }
    if (!tagsSelected(new Set(tags), req.tags, req.skipTags)) continue;
    out.push({ name: taskTitle(n), tags: [...new Set(tags)].sort() });
  }
}

/** The play's `hosts:` after templating, as ansible's list field holds it. */
function hostsList(play: Play, ps: PlayScope): string[] {
  const v = Array.isArray(play.hosts) ? play.hosts.map((h) => render(ps, h)) : render(ps, play.hosts);
  const list = Array.isArray(v) ? v.flat() : [v];
  return list.map((h) => String(h));
}

/** Like ansible's inventory.get_hosts: the pattern's hosts after --limit, plus the implicit localhost. */
function playHosts(inv: Inventory, pattern: readonly string[], limit: string | undefined): string[] {
  let hosts = selectHosts(inv, pattern);
  const words = pattern.flatMap((p) => p.split(/[:,]/)).map((w) => w.trim());
  for (const w of ['localhost', '127.0.0.1']) if (words.includes(w) && !inv.hosts.has(w) && !hosts.includes(w)) hosts.push(w);
  if (limit !== undefined) {
    const implicit = hosts.filter((h) => !inv.hosts.has(h) && limit.split(/[:,]/).includes(h));
    hosts = [...applyLimit(inv, hosts.filter((h) => inv.hosts.has(h)), limit), ...implicit];
  }
  return hosts;
}

function renderPlay(play: Play, index: number, req: RunRequest, inv: Inventory, templar: Templar): string[] {
  const ps = playScope(play, req, templar);
  const pattern = hostsList(play, ps);
  const playTags = [...new Set(tagsOf(ps, play.kw.tags))].sort();
  const name = String(render(ps, play.name));
  // like ansible: the play's tags are joined by ',' (a set, so unsorted there; sorted here)
  const lines = ['', `  play #${index + 1} (${pattern.join(',')}): ${name}\tTAGS: [${playTags.join(',')}]`];
  if (req.mode === 'list-hosts') {
    const hosts = playHosts(inv, pattern, req.limit);
    lines.push(`    pattern: ${pythonRepr(pattern)}`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`));
  }
  if (req.mode !== 'list-tasks' && req.mode !== 'list-tags') return lines;
  const tasks: Listed[] = [];
  for (const section of play.sections) listTasks(section, playTags, ps, req, tasks);
  if (req.mode === 'list-tasks') lines.push('    tasks:', ...tasks.map((t) => `      ${t.name}\tTAGS: [${t.tags.join(', ')}]`));
  else lines.push(`      TASK TAGS: [${[...new Set([...playTags, ...tasks.flatMap((t) => t.tags)])].sort().join(', ')}]`);
  return lines;
}

/** --list-hosts / --list-tasks / --list-tags / --syntax-check, exactly in ansible-playbook's layout. */
export function renderListing(req: RunRequest, playbooks: readonly Playbook[], inv: Inventory, templar: Templar): string {
  const lines: string[] = [];
  playbooks.forEach((pb, i) => {
    // like ansible: the playbook path as given on the command line
    lines.push('', `playbook: ${req.playbooks[i] ?? pb.file}`);
    if (req.mode === 'syntax-check') return;
    pb.plays.forEach((play, p) => lines.push(...renderPlay(play, p, req, inv, templar)));
  });
  return `${lines.join('\n')}\n`;
}
