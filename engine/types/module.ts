import type { VaultDecrypter } from './vault.js';
import type { Ask } from './prompt.js';
import type { SourceLoc } from './source.js';
import type { BecomeSpec, Connection } from './connection.js';

/** A JSON schema object for ajv; each module declares the arguments it accepts. */
export type ArgSchema = Readonly<Record<string, unknown>>;

/** Side effects on run state that only the executor may apply (closed union). */
export type ModuleEffect =
  | { readonly kind: 'set_fact'; readonly vars: Readonly<Record<string, unknown>>; readonly cacheable: boolean }
  | { readonly kind: 'include_vars'; readonly vars: Readonly<Record<string, unknown>> }
  | { readonly kind: 'facts'; readonly facts: Readonly<Record<string, unknown>> }
  | { readonly kind: 'add_host'; readonly name: string; readonly groups: readonly string[]; readonly vars: Readonly<Record<string, unknown>> }
  | { readonly kind: 'group_by'; readonly group: string; readonly parents: readonly string[] };

export interface FileDiff {
  readonly before: string;
  readonly after: string;
  readonly beforeHeader?: string;
  readonly afterHeader?: string;
  /** like ansible's src_binary / dst_binary: no text diff, a "diff skipped" line instead. */
  readonly srcBinary?: boolean;
  readonly dstBinary?: boolean;
}

/** What a module returns; Ansible's field names so register + when behave the same. */
export interface ModuleResult {
  changed: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: unknown;
  diff?: FileDiff | FileDiff[];
  effects?: ModuleEffect[];
  [field: string]: unknown;
}

/** Renders Jinja2 for modules that need it (template, lookups); bound to the task's vars. */
export interface ModuleTemplating {
  renderFile(text: string, extraVars?: Readonly<Record<string, unknown>>, opts?: { trimBlocks?: boolean; lstripBlocks?: boolean }): string;
  /** A bare Jinja2 expression's native value (debug `var:`). */
  evaluate(expr: string): unknown;
  /** A conditional like `when:` (assert `that:`), with extra variables on top. */
  conditional(expr: unknown, extraVars?: Readonly<Record<string, unknown>>): boolean;
}

export interface ModuleContext {
  readonly host: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly loc: SourceLoc;
  readonly check: boolean;
  readonly diff: boolean;
  readonly become?: BecomeSpec;
  readonly env: Readonly<Record<string, string>>;
  /** Opened on first use; controller-only modules never touch the host. */
  connection(): Promise<Connection>;
  /** Finds a controller file the way Ansible does (role files/ or templates/, then play dir). */
  findFile(kind: 'files' | 'templates' | 'vars', name: string): string;
  readonly templating: ModuleTemplating;
  /** The task's variables, already templated on access. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Debug output at -v levels; never receives secrets. */
  log(level: number, message: string): void;
  /** Decrypts vaulted controller files (include_vars, copy/template src); undefined: no vault password. */
  readonly vault?: VaultDecrypter;
  /** The user's terminal (pause prompts); undefined when stdin is not a TTY. */
  readonly ask?: Ask;
  /** The task's `async`/`poll` (undefined: run in the foreground). */
  readonly async?: AsyncSpec;
}

/** `async: seconds` and `poll: seconds` of a task, and ansible_async_dir (default ~/.ansible_async). */
export interface AsyncSpec {
  readonly seconds: number;
  readonly poll: number;
  readonly dir: string;
}

/**
 * Modules plan, then apply (design.md §4): `run` reads state first, decides, and changes the
 * host only through its apply step, skipping it when ctx.check is set.
 */
export interface ModuleDef {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly schema: ArgSchema;
  /** Accepts free-form text (`command: ls -l`), delivered as args._raw_params. */
  readonly freeForm?: boolean;
  /** Runs without a connection (debug, set_fact, assert ...). */
  readonly controllerOnly?: boolean;
  /** In check mode a module without support is skipped, like Ansible. */
  readonly supportsCheck: boolean;
  /** Like ansible's BYPASS_HOST_LOOP (pause): runs once, on the first host of the batch only. */
  readonly bypassHostLoop?: boolean;
  /** Can run detached with `async:` (command, shell); other modules fail such a task clearly. */
  readonly supportsAsync?: boolean;
  run(ctx: ModuleContext): Promise<ModuleResult>;
}
