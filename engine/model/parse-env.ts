import type { LoadedYaml } from '../source/yaml-file.js';
import type { SourceLoc } from '../types/source.js';
import type { VaultDecrypter } from '../types/vault.js';
import type { Node, RoleRef } from './types.js';

export interface ModuleShape {
  readonly freeForm: boolean;
}

/** What the parsers need from the outside world; one per playbook load (no globals). */
export interface ParseEnv {
  readonly playbookDir: string;
  readonly rolesPath: readonly string[];
  /** A native module's shape, or a Python module's found in `libraryDirs` or where ansible looks. */
  moduleShape(name: string, libraryDirs?: readonly string[]): ModuleShape | undefined;
  moduleNames(): Iterable<string>;
  /** Templates a static import path with what is known at parse time (extra vars, play vars). */
  templateStatic(text: string, where: SourceLoc, extraVars?: Readonly<Record<string, unknown>>): string;
  loadYaml(file: string): LoadedYaml;
  /** Decrypts vaulted vars files and !vault values (undefined: no vault password given). */
  readonly vault?: VaultDecrypter;
}

/** Things a play collects while its tree is parsed (handlers and roles from every level). */
export interface PlayCollector {
  readonly handlers: Node[];
  readonly roles: RoleRef[];
  /** Role instance keys already placed in this play, for ansible's once-per-play rule. */
  readonly seenRoles: Set<string>;
  readonly playVars: Readonly<Record<string, unknown>>;
}

export interface ParseScope {
  readonly file: LoadedYaml;
  readonly dir: string;
  readonly role?: RoleRef;
  readonly isHandler: boolean;
  readonly collect: PlayCollector;
  /** Vars set by enclosing import_* statements, for templating nested import paths. */
  readonly staticVars: Readonly<Record<string, unknown>>;
}

/** Options accepted as k=v by free-form modules; everything else is the command text. */
export const FREE_FORM_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  command: new Set(['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends']),
  shell: new Set(['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends']),
  raw: new Set(['executable']),
  script: new Set(['creates', 'removes', 'chdir', 'executable']),
  include_vars: new Set(['file', 'dir', 'name', 'depth', 'files_matching', 'ignore_files', 'extensions', 'ignore_unknown_extensions', 'hash_behaviour']),
  meta: new Set([]),
  import_tasks: new Set(['file']),
  include_tasks: new Set(['file', 'apply']),
  import_role: new Set(['name', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'public', 'allow_duplicates', 'rolespec_validate']),
  include_role: new Set(['name', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'public', 'allow_duplicates', 'rolespec_validate', 'apply']),
};
