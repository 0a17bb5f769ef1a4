import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from './options.js';

/**
 * The benchmark playbook: one play, facts on, `tasks` tasks. The first creates the work
 * directory; the rest cycle through command, copy, template, lineinfile and file, so that
 * 5 tasks already hold one of each but file. Every task converges: a second run must
 * report changed=0 with either engine. Each engine works under its own directory on the
 * hosts (/tmp/bench-<engine>, variable `bench_engine` given with -e).
 */
export const KINDS = ['command', 'copy', 'template', 'lineinfile', 'file'] as const;
export type TaskKind = (typeof KINDS)[number];

export function benchDir(engine: Engine): string {
  return `/tmp/bench-${engine}`;
}

export function taskKind(i: number): TaskKind | 'mkdir' {
  return i === 0 ? 'mkdir' : KINDS[(i - 1) % KINDS.length]!;
}

/** One task as YAML lines (2-space indented under `tasks:`). */
function taskYaml(i: number): string[] {
  const n = String(i).padStart(2, '0');
  const kind = taskKind(i);
  switch (kind) {
    case 'mkdir':
      return [`- name: t${n} work directory`, '  file:', '    path: "{{ base }}"', '    state: directory', "    mode: '0755'"];
    case 'command':
      // Half read-only commands (changed_when: false), half guarded by `creates`.
      return Math.floor(i / KINDS.length) % 2 === 0
        ? [`- name: t${n} command (read only)`, '  command: cat /etc/hostname', '  changed_when: false']
        : [`- name: t${n} command (creates)`, `  command: touch {{ base }}/cmd-${n}.done`, '  args:', `    creates: "{{ base }}/cmd-${n}.done"`];
    case 'copy':
      return [`- name: t${n} copy`, '  copy:', `    content: "bench ${n} on {{ inventory_hostname }}\\n"`, `    dest: "{{ base }}/copy-${n}.txt"`, "    mode: '0644'"];
    case 'template':
      return [`- name: t${n} template`, '  template:', '    src: bench.conf.j2', `    dest: "{{ base }}/tpl-${n}.conf"`, "    mode: '0644'", '  vars:', `    bench_index: ${i}`];
    case 'lineinfile':
      return [`- name: t${n} lineinfile`, '  lineinfile:', '    path: "{{ base }}/lines.conf"', `    regexp: '^key${n} ='`, `    line: 'key${n} = value ${i}'`, '    create: true', "    mode: '0644'"];
    case 'file':
      return [`- name: t${n} file`, '  file:', `    path: "{{ base }}/dir-${n}"`, '    state: directory', "    mode: '0750'"];
    default: {
      const never: never = kind;
      throw new Error(`unknown task kind ${String(never)}`);
    }
  }
}

export function renderPlaybook(tasks: number): string {
  const lines = ['- name: bench', '  hosts: all', '  gather_facts: true', '  vars:', '    base: "/tmp/bench-{{ bench_engine }}"', '  tasks:'];
  for (let i = 0; i < tasks; i++) lines.push(...taskYaml(i).map((l) => `    ${l}`));
  return lines.join('\n') + '\n';
}

/** Uses facts, a loop and arithmetic: real templating work on every template task. */
export const TEMPLATE = `# {{ ansible_managed }}
host = {{ inventory_hostname }}
hostname = {{ ansible_facts['hostname'] }}
address = {{ ansible_default_ipv4.address | default('none') }}
os = {{ ansible_facts['distribution'] }} {{ ansible_facts['distribution_major_version'] }}
index = {{ bench_index }}
{% for n in range(3) %}
slot{{ n }} = {{ bench_index * 10 + n }}
{% endfor %}
`;

/** ansible.cfg for both engines: tuned ansible (pipelining, ControlPersist, forks >= 20). */
export function renderAnsibleCfg(forks: number, controlPathDir: string): string {
  return [
    '[defaults]',
    `forks = ${forks}`,
    'host_key_checking = True',
    'gathering = implicit',
    'retry_files_enabled = False',
    'interpreter_python = /usr/bin/python3',
    '',
    '[ssh_connection]',
    'pipelining = True',
    'ssh_args = -o ControlMaster=auto -o ControlPersist=120s',
    `control_path_dir = ${controlPathDir}`,
    '',
  ].join('\n');
}

/** Writes site.yml, templates/ and ansible.cfg into dir; returns the ansible.cfg path. */
export async function writeBenchProject(dir: string, tasks: number, forks: number): Promise<string> {
  await mkdir(join(dir, 'templates'), { recursive: true });
  await mkdir(join(dir, 'cp'), { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'site.yml'), renderPlaybook(tasks));
  await writeFile(join(dir, 'templates', 'bench.conf.j2'), TEMPLATE);
  const cfg = join(dir, 'ansible.cfg');
  await writeFile(cfg, renderAnsibleCfg(forks, join(dir, 'cp')));
  return cfg;
}
