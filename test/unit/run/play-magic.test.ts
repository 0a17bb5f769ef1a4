import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPlaybook } from '../../../engine/api.js';
import { loadSettings } from '../../../engine/config/ansible-cfg.js';

/**
 * The play-level magic variables and the facts layer are built once and shared by hosts and
 * tasks (run/vars-builder.ts, issue 17): they must still follow the hosts leaving the play and
 * facts set during the run, and a template changing a list changes no other host's. Local hosts;
 * the messages are ansible-playbook 2.14.18's on the same playbook and inventory.
 */
describe('shared play-level variables stay current', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-playmagic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'inv'), '[all]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n');
  writeFileSync(join(dir, 'pb.yml'), [
    '- hosts: all',
    '  gather_facts: false',
    '  tasks:',
    '    - debug: msg="before {{ ansible_play_hosts | join(\',\') }}"',
    '    - fail: msg=out',
    '      when: inventory_hostname == "h2"',
    '    - debug: msg="after-fail {{ ansible_play_hosts | join(\',\') }} all={{ ansible_play_hosts_all | join(\',\') }}"',
    '    - debug: msg="{% set _ = ansible_play_hosts.append(\'zz\') %}appended {{ ansible_play_hosts | join(\',\') }}"',
    '    - debug: msg="unshared {{ ansible_play_hosts | join(\',\') }}"',
    '    - meta: end_host',
    '      when: inventory_hostname == "h3"',
    '    - debug: msg="after-end {{ ansible_play_hosts | join(\',\') }}"',
    '    - set_fact: {colour: "blue-{{ inventory_hostname }}", cacheable: true}',
    '    - debug: msg="fact {{ ansible_facts.colour }} {{ colour }} {{ hostvars[inventory_hostname].ansible_facts.colour }}"',
  ].join('\n'));

  it('follows failed and ended hosts, keeps list changes to one host, sees new facts', async () => {
    let out = '';
    const code = await runPlaybook(
      { playbooks: ['pb.yml'], inventories: ['inv'], tags: [], skipTags: [], extraVars: {}, check: false, diff: false, verbosity: 0, mode: 'run', output: 'text', color: false },
      { write: (t) => { out += t; }, settings: loadSettings({}, dir), cwd: dir },
    );
    const msgs = [...out.matchAll(/ok: \[(h\d)\] => \{\n\s+"msg": "([^"]*)"/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(msgs).toEqual([
      'h1: before h1,h2,h3', 'h2: before h1,h2,h3', 'h3: before h1,h2,h3',
      'h1: after-fail h1,h3 all=h1,h2,h3', 'h3: after-fail h1,h3 all=h1,h2,h3',
      'h1: appended h1,h3,zz', 'h3: appended h1,h3,zz',
      'h1: unshared h1,h3', 'h3: unshared h1,h3',
      'h1: after-end h1',
      'h1: fact blue-h1 blue-h1 blue-h1',
    ]);
    expect(code).toBe(2);
  });
});
