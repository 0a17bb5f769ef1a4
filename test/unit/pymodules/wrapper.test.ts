import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PyModuleFinder } from '../../../engine/pymodules/finder.js';
import { probePySearchPaths } from '../../../engine/pymodules/locations.js';
import { ModulePacker } from '../../../engine/pymodules/packer.js';
import { mapModuleOutput } from '../../../engine/pymodules/result.js';
import { encodeFiles, interpreterCommand, wrapperScript } from '../../../engine/pymodules/wrapper.js';

// The packed program, run by the system python without site-packages (-S): like a host without
// ansible, every import must come from the payload. Needs Debian's ansible-core (the oracle).
const LIBRARY = join(__dirname, '..', '..', 'fixtures', 'kubespray-compat', 'pymodules', 'library');
const paths = probePySearchPaths({ library: [], moduleUtils: [], collectionsPaths: [], scanSysPath: true }, process.env);

function runModule(name: string, args: Record<string, unknown>): ReturnType<typeof mapModuleOutput> {
  const found = new PyModuleFinder(() => paths).find(name, [LIBRARY]);
  if (found.kind !== 'found') throw new Error(`${name}: ${found.kind}`);
  const script = wrapperScript(encodeFiles(new ModulePacker(() => paths).pack(found.module)), found.module.fqn, { ...args, _ansible_check_mode: true });
  const r = spawnSync('/usr/bin/python3', ['-S', '-'], { input: script, encoding: 'utf8' });
  return mapModuleOutput({ rc: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
}

describe('the packed module runs on a python without ansible', () => {
  it('a library/ module importing module_utils beyond basic', () => {
    const r = runModule('tsplay_greeting', { path: '/nonexistent/greeting', name: 'unit' });
    expect(r).toMatchObject({ changed: true, greeting: 'hello unit', check: true, path: '/nonexistent/greeting' });
  });

  it('a collection module found through ansible.builtin routing (ini_file), in check mode', () => {
    const r = runModule('ini_file', { path: '/nonexistent/x.ini', section: 's', option: 'k', value: 'v' });
    expect(r).toMatchObject({ changed: true, path: '/nonexistent/x.ini' });
  });

  it("the module's own argument validation answers, like under ansible", () => {
    const r = runModule('ini_file', { path: '/tmp/x.ini', nonsense: 1 });
    expect(r.failed).toBe(true);
    expect(String(r.msg)).toMatch(/^Unsupported parameters for \(.*\) module: nonsense\./);
  });

  it('the interpreter command: ansible_python_interpreter as given, else discovery', () => {
    expect(interpreterCommand('/opt/py/bin/python3')).toBe("exec /opt/py/bin/python3 -");
    expect(interpreterCommand('/usr/bin/env python3')).toBe('exec /usr/bin/env python3 -');
    expect(interpreterCommand(undefined)).toContain('for p in /usr/bin/python3 python3');
    expect(interpreterCommand('auto_silent')).toContain('for p in');
  });
});
