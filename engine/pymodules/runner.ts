import { readFileSync } from 'node:fs';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';
import type { FindResult, FoundModule, PyModuleFinder } from './finder.js';
import type { ModulePacker } from './packer.js';
import { mapModuleOutput } from './result.js';
import { encodeFiles, interpreterCommand, wrapperScript } from './wrapper.js';

/** Like ansible's module_common: a new-style module imports ansible.module_utils (or a collection's). */
function isNewStylePython(file: string): boolean {
  return /^\s*(from|import)\s+(ansible\.module_utils|ansible_collections\.)/m.test(readFileSync(file, 'utf8'));
}

/** ansible-core's version, which modules read from _ansible_version. */
const ANSIBLE_VERSION = '2.14.18';

/** The internal arguments ansible's _update_module_args adds to every module call. */
function internalArgs(ctx: ModuleContext, name: string, check: boolean): Record<string, unknown> {
  return {
    _ansible_check_mode: check,
    _ansible_no_log: false,
    _ansible_debug: false,
    _ansible_diff: ctx.diffs.readsBefore,
    _ansible_verbosity: Number(ctx.vars.ansible_verbosity ?? 0),
    _ansible_version: ANSIBLE_VERSION,
    _ansible_module_name: name,
    _ansible_syslog_facility: 'LOG_USER',
    _ansible_selinux_special_fs: ['fuse', 'nfs', 'vboxsf', 'ramfs', '9p', 'vfat'],
    _ansible_string_conversion_action: 'warn',
    _ansible_socket: null,
    _ansible_shell_executable: '/bin/sh',
    _ansible_keep_remote_files: false,
    // like ansible with pipelining: no task tmpdir; basic makes its own under remote_tmp and removes it
    _ansible_tmpdir: null,
    _ansible_remote_tmp: '~/.ansible/tmp',
  };
}

function interpreterOf(ctx: ModuleContext): string | undefined {
  const v = ctx.vars.ansible_python_interpreter;
  return typeof v === 'string' ? v : undefined;
}

/**
 * Runs ansible modules tsplay has no native code for: found where ansible finds them, packed
 * with their module_utils, piped to the host's Python over the task's connection in one round
 * trip (become and environment applied by the connection), the printed JSON mapped like ansible.
 */
export class PyModuleRunner {
  readonly #payloads = new Map<string, string>();
  readonly #defs = new Map<string, ModuleDef>();

  constructor(private readonly finder: PyModuleFinder, private readonly packer: ModulePacker) {}

  find(name: string, libraryDirs: readonly string[]): FindResult {
    return this.finder.find(name, libraryDirs);
  }

  /** A ModuleDef for `name` (as the task wrote it), or undefined when ansible would not find one either. */
  moduleDef(name: string, libraryDirs: readonly string[]): ModuleDef | undefined {
    const found = this.finder.find(name, libraryDirs);
    if (found.kind !== 'found') return undefined;
    const key = `${name}\0${found.module.file}`;
    let def = this.#defs.get(key);
    if (def === undefined) {
      def = this.#def(name, found.module);
      this.#defs.set(key, def);
    }
    return def;
  }

  #payload(mod: FoundModule): string {
    let p = this.#payloads.get(mod.file);
    if (p === undefined) {
      p = encodeFiles(this.packer.pack(mod));
      this.#payloads.set(mod.file, p);
    }
    return p;
  }

  #def(name: string, mod: FoundModule): ModuleDef {
    return {
      name,
      // the module validates its own arguments, exactly as under ansible
      schema: { type: 'object' },
      // like ansible: the module itself answers "does not support check mode" (skipped)
      supportsCheck: true,
      run: (ctx) => this.#run(ctx, name, mod),
    };
  }

  async #run(ctx: ModuleContext, name: string, mod: FoundModule): Promise<ModuleResult> {
    if (mod.actionPlugin !== undefined) {
      return {
        changed: false,
        failed: true,
        msg: `${mod.resolved} needs ansible's controller-side action plugin (${mod.actionPlugin}), which tsplay does not run`,
      };
    }
    if (!isNewStylePython(mod.file)) {
      return { changed: false, failed: true, msg: `${mod.file} is not a Python module using ansible.module_utils; tsplay runs only those (no old-style, WANT_JSON or binary modules)` };
    }
    // like ansible: the module itself honours check mode (_ansible_check_mode); the gate only
    // says which mode this is, and a run that may change the host goes through it
    const what = `run ${mod.resolved}`;
    const check = !ctx.mayChange(what);
    const script = wrapperScript(this.#payload(mod), mod.fqn, { ...ctx.args, ...internalArgs(ctx, name, check) });
    ctx.log(1, `python module ${mod.resolved} (${mod.file}) run by the host's interpreter`);
    const command = interpreterCommand(interpreterOf(ctx));
    const res = check ? await ctx.probe(command, script) : (await ctx.change(what, command, script)).value!;
    return mapModuleOutput(res);
  }
}
