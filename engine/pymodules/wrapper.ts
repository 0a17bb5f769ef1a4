import { createRequire } from 'node:module';
import { sh } from '../transport/shell.js';
import type { PackedFiles } from './packer.js';

// node:zlib is loaded by the first python module run, not at every start (issue 17)
const requireCjs = createRequire(import.meta.url);

/** The payload's files, compressed once per module and run (base64 of zlib'd JSON). */
export function encodeFiles(files: PackedFiles): string {
  const { deflateSync } = requireCjs('node:zlib') as typeof import('node:zlib');
  return deflateSync(Buffer.from(JSON.stringify(Object.fromEntries(files)), 'utf8'), { level: 6 }).toString('base64');
}

/** The bootstrap's Python, ahead of the three values it reads: FILES, ARGS and MODULE. */
const BOOTSTRAP = `import sys
def _tsplay_main():
    import base64, json, os, runpy, zlib
    import importlib.abc, importlib.util
    try:
        os.getcwd()
    except OSError:
        try:
            os.chdir(os.path.expanduser('~'))
        except OSError:
            os.chdir('/')
    sys.path = [p for p in sys.path if p not in ('', '.')]
    files = json.loads(zlib.decompress(base64.b64decode(FILES)).decode('utf-8'))
    root = '/tsplay-payload/'

    class Payload(importlib.abc.MetaPathFinder, importlib.abc.InspectLoader):
        def _key(self, name):
            base = name.replace('.', '/')
            if base + '/__init__.py' in files:
                return base + '/__init__.py', True
            if base + '.py' in files:
                return base + '.py', False
            return None, False

        def find_spec(self, name, path=None, target=None):
            key, pkg = self._key(name)
            if key is None:
                return None
            if pkg:
                return importlib.util.spec_from_file_location(name, root + key, loader=self, submodule_search_locations=[])
            return importlib.util.spec_from_file_location(name, root + key, loader=self)

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            exec(self.get_code(module.__name__), module.__dict__)

        def is_package(self, name):
            return self._key(name)[1]

        def get_source(self, name):
            return files[self._key(name)[0]]

        def get_code(self, name):
            key = self._key(name)[0]
            return compile(files[key], root + key, 'exec', dont_inherit=True)

    sys.meta_path.insert(0, Payload())
    from ansible.module_utils import basic
    basic._ANSIBLE_ARGS = base64.b64decode(ARGS)
    runpy.run_module(mod_name=MODULE, init_globals=dict(_module_fqn=MODULE, _modlib_path=root), run_name='__main__', alter_sys=True)
    print('{"msg": "New-style module did not handle its own exit", "failed": true}')
    sys.exit(1)
`;

/**
 * The Python program sent on stdin: like AnsiballZ's wrapper it puts the packed files first on
 * the import path, hands the arguments to basic._ANSIBLE_ARGS and runs the module as __main__.
 * Unlike AnsiballZ the files are served from memory by an import hook, so nothing is written
 * on the host and the module runs in one round trip.
 */
export function wrapperScript(encodedFiles: string, moduleFqn: string, args: Readonly<Record<string, unknown>>): string {
  const argsB64 = Buffer.from(JSON.stringify({ ANSIBLE_MODULE_ARGS: args }), 'utf8').toString('base64');
  return `${BOOTSTRAP}FILES = '${encodedFiles}'
ARGS = '${argsB64}'
MODULE = ${JSON.stringify(moduleFqn)}
_tsplay_main()
`;
}

/**
 * The shell text that starts the interpreter reading the program from stdin: the host's
 * ansible_python_interpreter, else the first of ansible's usual candidates that exists.
 */
export function interpreterCommand(interpreter: string | undefined): string {
  if (interpreter !== undefined && interpreter !== '' && interpreter !== 'auto' && !interpreter.startsWith('auto_')) return sh`exec ${interpreter.trim().split(/\s+/)} -`;
  return 'for p in /usr/bin/python3 python3 /usr/libexec/platform-python /usr/bin/python; do if command -v "$p" >/dev/null 2>&1; then exec "$p" -; fi; done; echo "tsplay: no python interpreter found" >&2; exit 127';
}
