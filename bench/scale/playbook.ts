/**
 * The scale benchmark's playbook: the playbook bench's module mix (command, copy, template,
 * lineinfile, file) plus controller-side work (set_fact, debug, hostvars) that grows with the
 * inventory. Content sent to hosts is the same on every host, so one recorded host answers for
 * all; per-host templating happens in the controller-side tasks.
 */
const BASE = '/tmp/bench-scale';

function task(i: number): string[] {
  const n = String(i).padStart(2, '0');
  switch (i === 0 ? -1 : (i - 1) % 7) {
    case -1: return [`- name: t${n} work directory`, `  file: { path: "{{ base }}", state: directory, mode: "0755" }`];
    case 0: return [`- name: t${n} command`, '  command: cat /etc/hostname', '  changed_when: false', `  register: r${n}`];
    case 1: return [`- name: t${n} copy`, '  copy:', `    content: "bench {{ release }} item ${n}\\n"`, `    dest: "{{ base }}/copy-${n}.txt"`, '    mode: "0644"'];
    case 2: return [`- name: t${n} template`, '  template:', '    src: scale.conf.j2', `    dest: "{{ base }}/tpl-${n}.conf"`, '    mode: "0644"', '  vars:', `    index: ${i}`];
    case 3: return [`- name: t${n} lineinfile`, '  lineinfile:', '    path: "{{ base }}/lines.conf"', `    regexp: '^key${n} ='`, `    line: 'key${n} = value ${i}'`, '    create: true', '    mode: "0644"'];
    case 4: return [`- name: t${n} file`, `  file: { path: "{{ base }}/dir-${n}", state: directory, mode: "0750" }`];
    case 5: return [`- name: t${n} set_fact`, '  set_fact:', `    f${n}: "{{ inventory_hostname }}-{{ groups['all'] | length }}-{{ ansible_facts['distribution'] }}-${i}"`];
    default: return [`- name: t${n} debug`, `  debug: { msg: "{{ inventory_hostname }} has {{ hostvars[inventory_hostname]['ansible_facts']['os_family'] | default('?') }} ${i}" }`];
  }
}

export function scalePlaybook(tasks: number): string {
  const lines = ['- name: scale', '  hosts: all', '  gather_facts: true', '  vars:', `    base: ${BASE}`, '    release: "1.2.3"', '  tasks:'];
  for (let i = 0; i < tasks; i++) lines.push(...task(i).map((l) => `    ${l}`));
  return `${lines.join('\n')}\n`;
}

export const SCALE_TEMPLATE = `# {{ ansible_managed | default('managed') }}
os = {{ ansible_facts['distribution'] }} {{ ansible_facts['distribution_major_version'] }}
index = {{ index }}
{% for n in range(3) %}
slot{{ n }} = {{ index * 10 + n }}
{% endfor %}
`;
