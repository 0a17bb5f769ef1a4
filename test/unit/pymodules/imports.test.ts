import { describe, expect, it } from 'vitest';
import { findImports } from '../../../engine/pymodules/imports.js';

const parts = (src: string, fqn = 'ansible.modules.m', pkg = false) => findImports(src, fqn, pkg).map((i) => `${i.parts.join('.')}${i.ambiguous ? '?' : ''}${i.optional ? ' (optional)' : ''}`);

describe('findImports (ansible ModuleDepFinder on the text)', () => {
  it.each([
    ['from ansible.module_utils.basic import AnsibleModule', ['ansible.module_utils.basic.AnsibleModule?']],
    ['import ansible.module_utils.urls as u, os', ['ansible.module_utils.urls']],
    ['import os\nfrom os import path', []],
    ['from ansible.module_utils.common.text.converters import (\n    to_bytes,\n    to_text,  # comment (\n)', ['ansible.module_utils.common.text.converters.to_bytes?', 'ansible.module_utils.common.text.converters.to_text?']],
    ['from ansible.module_utils.six.moves import \\\n    configparser', ['ansible.module_utils.six.moves.configparser?']],
    ['try:\n    from ansible.module_utils.foo import bar\nexcept ImportError:\n    pass', ['ansible.module_utils.foo.bar? (optional)']],
    ['from ansible_collections.ns.coll.plugins.module_utils.x import y', ['ansible_collections.ns.coll.plugins.module_utils.x.y?']],
    ['from ansible_collections.ns.coll.plugins.lookup import y', []],
  ])('%s', (src, want) => {
    expect(parts(src)).toEqual(want);
  });

  it('ignores imports inside docstrings and strings', () => {
    expect(parts('DOC = """\nfrom ansible.module_utils.fake import x\n"""\nx = "from ansible.module_utils.fake2 import y"\n')).toEqual([]);
  });

  it('resolves relative imports against the module name (a package __init__ one level deeper)', () => {
    const fqn = 'ansible_collections.ns.coll.plugins.modules.m';
    expect(parts('from ..module_utils.helper import thing', fqn)).toEqual(['ansible_collections.ns.coll.plugins.module_utils.helper.thing?']);
    expect(parts('from .sub import a', 'ansible_collections.ns.coll.plugins.module_utils.pkg', true)).toEqual(['ansible_collections.ns.coll.plugins.module_utils.pkg.sub.a?']);
  });
});
