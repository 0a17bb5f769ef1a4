import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PyModuleFinder } from '../../../engine/pymodules/finder.js';
import type { PySearchPaths } from '../../../engine/pymodules/locations.js';
import { ModulePacker } from '../../../engine/pymodules/packer.js';

// A made-up controller: ansible-core, one collection and a playbook library/, in a temp folder.
let root: string;
let paths: PySearchPaths;

function put(rel: string, text = ''): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tsplay-pyfinder-'));
  put('site/ansible/modules/ping.py', 'from ansible.module_utils.basic import AnsibleModule\n');
  put('site/ansible/modules/copy.py', '');
  put('site/ansible/plugins/action/copy.py', '');
  put('site/ansible/module_utils/basic.py', 'from ansible.module_utils.common.text.converters import to_text\nfrom ansible.module_utils.six import PY3\n');
  put('site/ansible/module_utils/common/__init__.py');
  put('site/ansible/module_utils/common/text/__init__.py');
  put('site/ansible/module_utils/common/text/converters.py', 'from ansible.module_utils.six.moves import x\n');
  put('site/ansible/module_utils/six/__init__.py', '');
  put('site/ansible/config/ansible_builtin_runtime.yml', 'plugin_routing:\n  modules:\n    ini_file:\n      redirect: ns.coll.ini_file\n    gone:\n      tombstone:\n        warning_text: use other\n');
  put('site/ansible_collections/ns/coll/meta/runtime.yml', 'plugin_routing:\n  modules:\n    old_name:\n      redirect: ns.coll.ini_file\n');
  put('site/ansible_collections/ns/coll/plugins/modules/ini_file.py', 'from ..module_utils.helper import thing\ntry:\n    from ansible.module_utils.missing import nope\nexcept ImportError:\n    pass\n');
  put('site/ansible_collections/ns/coll/plugins/module_utils/helper.py', 'thing = 1\n');
  put('site/ansible_collections/ns/coll/plugins/modules/needs_action.py', '');
  put('site/ansible_collections/ns/coll/plugins/action/needs_action.py', '');
  put('site/ansible_collections/ns/coll/plugins/modules/broken.py', 'from ansible.module_utils.missing import nope\n');
  put('play/library/ping.py', '# the playbook wins over ansible-core for short names\n');
  paths = { libraryDirs: [], moduleUtilsDirs: [], collectionRoots: [join(root, 'site')], ansibleCoreDir: join(root, 'site', 'ansible') };
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('PyModuleFinder: where ansible finds a module', () => {
  const find = (name: string, lib: string[] = []) => new PyModuleFinder(() => paths).find(name, lib);

  it('short names: the playbook library/ first, then ansible-core', () => {
    expect(find('ping', [join(root, 'play', 'library')])).toMatchObject({ kind: 'found', module: { file: join(root, 'play/library/ping.py'), fqn: 'ansible.modules.ping', resolved: 'ping' } });
    expect(find('ping')).toMatchObject({ kind: 'found', module: { resolved: 'ansible.builtin.ping', fqn: 'ansible.modules.ping' } });
  });

  it('ansible.builtin.X skips library folders; ansible.legacy.X does not', () => {
    const lib = [join(root, 'play', 'library')];
    expect(find('ansible.builtin.ping', lib)).toMatchObject({ module: { file: join(root, 'site/ansible/modules/ping.py') } });
    expect(find('ansible.legacy.ping', lib)).toMatchObject({ module: { file: join(root, 'play/library/ping.py') } });
  });

  it("follows ansible.builtin's routing and a collection's runtime.yml", () => {
    for (const name of ['ini_file', 'ns.coll.ini_file', 'ns.coll.old_name']) {
      expect(find(name)).toMatchObject({ kind: 'found', module: { resolved: 'ns.coll.ini_file', fqn: 'ansible_collections.ns.coll.plugins.modules.ini_file' } });
    }
  });

  it('tombstones, missing collections and missing modules are not found', () => {
    expect(find('gone')).toEqual({ kind: 'removed', text: 'use other' });
    expect(find('other.coll.x')).toEqual({ kind: 'missing' });
    expect(find('ns.coll.nothing')).toEqual({ kind: 'missing' });
    expect(find('nothing')).toEqual({ kind: 'missing' });
  });

  it('notes an action plugin ansible would run on the controller', () => {
    expect(find('copy')).toMatchObject({ module: { actionPlugin: join(root, 'site/ansible/plugins/action/copy.py') } });
    expect(find('ns.coll.needs_action')).toMatchObject({ module: { actionPlugin: join(root, 'site/ansible_collections/ns/coll/plugins/action/needs_action.py') } });
  });
});

describe('ModulePacker: the module_utils a module needs, like recursive_finder', () => {
  const pack = (name: string) => {
    const found = new PyModuleFinder(() => paths).find(name);
    if (found.kind !== 'found') throw new Error(`${name} not found`);
    return [...new ModulePacker(() => paths).pack(found.module).keys()].sort();
  };

  it('packs basic and what it imports, transitively, with every parent package', () => {
    expect(pack('ping')).toEqual([
      'ansible/__init__.py', 'ansible/module_utils/__init__.py', 'ansible/module_utils/basic.py',
      'ansible/module_utils/common/__init__.py', 'ansible/module_utils/common/text/__init__.py',
      'ansible/module_utils/common/text/converters.py', 'ansible/module_utils/six/__init__.py',
      'ansible/modules/__init__.py', 'ansible/modules/ping.py',
    ]);
  });

  it("packs a collection's relative module_utils import; an optional missing import is left out", () => {
    const files = pack('ns.coll.ini_file');
    expect(files).toContain('ansible_collections/ns/coll/plugins/module_utils/helper.py');
    expect(files).toContain('ansible_collections/ns/coll/plugins/module_utils/__init__.py');
    expect(files).toContain('ansible_collections/ns/coll/plugins/modules/ini_file.py');
    expect(files.some((f) => f.includes('missing'))).toBe(false);
  });

  it('a required import found nowhere is an error naming it', () => {
    expect(() => pack('ns.coll.broken')).toThrow(/Could not find imported module support code for ansible_collections\.ns\.coll\.plugins\.modules\.broken\.  Looked for \(ansible\.module_utils\.missing\.nope\)/);
  });
});
