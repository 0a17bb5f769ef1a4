import { selectHosts, applyLimit, type Inventory } from '../inventory/index.js';
import type { Node, Play, Playbook } from '../model/types.js';
import type { RunRequest } from './request.js';

function tagsOf(raw: readonly unknown[] | undefined): string[] {
  return [...new Set((raw ?? []).map(String))].sort();
}

function tasksOf(nodes: readonly Node[], inherited: readonly string[], out: { name: string; tags: string[] }[]): void {
  for (const n of nodes) {
    const tags = [...inherited, ...tagsOf(n.kw.tags)];
    if (n.kind === 'block') {
      tasksOf(n.block, tags, out);
      tasksOf(n.rescue, tags, out);
      tasksOf(n.always, tags, out);
    } else {
      const name = n.name ?? n.action;
      out.push({ name: n.role ? `${n.role.name} : ${name}` : name, tags: [...new Set(tags)].sort() });
    }
  }
}

/** --list-hosts / --list-tasks / --list-tags / --syntax-check, in ansible-playbook's layout. */
export function renderListing(req: RunRequest, playbooks: readonly Playbook[], inv: Inventory): string {
  const lines: string[] = [];
  for (const pb of playbooks) {
    lines.push('', `playbook: ${pb.file}`);
    if (req.mode === 'syntax-check') continue;
    pb.plays.forEach((play: Play, i) => {
      const playTags = tagsOf(play.kw.tags);
      lines.push('', `  play #${i + 1} (${Array.isArray(play.hosts) ? play.hosts.join(',') : String(play.hosts)}): ${play.name}\tTAGS: [${playTags.join(', ')}]`);
      if (req.mode === 'list-hosts') {
        let hosts = selectHosts(inv, play.hosts as string);
        if (req.limit) hosts = applyLimit(inv, hosts, req.limit);
        lines.push(`    pattern: ['${String(play.hosts)}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`));
        return;
      }
      const tasks: { name: string; tags: string[] }[] = [];
      for (const section of play.sections) tasksOf(section, playTags, tasks);
      if (req.mode === 'list-tags') {
        const all = [...new Set(tasks.flatMap((t) => t.tags))].sort();
        lines.push(`      TASK TAGS: [${all.join(', ')}]`);
        return;
      }
      lines.push('    tasks:', ...tasks.map((t) => `      ${t.name}\tTAGS: [${t.tags.join(', ')}]`));
    });
  }
  return `${lines.join('\n')}\n`;
}
