import { describe, expect, it } from 'vitest';
import { loadVarsFolders, varsFilesFor } from '../../../engine/inventory/index.js';
import { fixture } from './oracle.js';

// folder/group_vars holds: all.yml + all.yaml, web/ (10-first.yml, 20-second.yaml, 30-skip.txt,
// 40-skip.yml~), db.json, cache (no extension); host_vars: web1.yml, db1.yml (empty).
// `ansible-inventory -i folder --list` shows the same selection (expected/folder.list.json).
describe('group_vars/ and host_vars/ folders', () => {
  const vf = loadVarsFolders(fixture('folder'));
  const files = (kind: 'group' | 'host', name: string) => varsFilesFor(vf, kind, name).map((f) => [f.source, f.vars]);

  it('NAME.yml wins over NAME.yaml (first of NAME, .yml, .yaml, .json)', () => {
    expect(files('group', 'all')).toEqual([['group_vars/all.yml', { from_all: 'all.yml', shared: 'all' }]]);
  });
  it('a folder NAME/ gives its YAML files in sorted order, skipping other extensions and ~ backups', () => {
    expect(files('group', 'web')).toEqual([
      ['group_vars/web/10-first.yml', { web_a: 'first', web_shared: 'first' }],
      ['group_vars/web/20-second.yaml', { web_b: 'second', web_shared: 'second' }],
    ]);
  });
  it('NAME.json and a bare NAME file are read as YAML 1.1 (yes is a boolean)', () => {
    expect(files('group', 'db')).toEqual([['group_vars/db.json', { db_json: 1, shared: 'db' }]]);
    expect(files('group', 'cache')).toEqual([['group_vars/cache', { cache_noext: true }]]);
  });
  it('host_vars work the same; empty files are ignored', () => {
    expect(files('host', 'web1')).toEqual([['host_vars/web1.yml', { host_web1: 1, shared: 'web1' }]]);
    expect(files('host', 'db1')).toEqual([]);
    expect(files('host', 'nobody')).toEqual([]);
  });
  it('a folder without group_vars/host_vars is empty, not an error', () => {
    const empty = loadVarsFolders(fixture('patterns'));
    expect(varsFilesFor(empty, 'group', 'all')).toEqual([]);
  });
});
