import type { VaultDecrypter } from './vault.js';
import type { Ask } from './prompt.js';
import type { SourceLoc } from './source.js';
import type { BecomeSpec, Connection, ExecResult } from './connection.js';

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

/** The template module's Jinja2 environment overrides. */
export interface TemplateFileOptions {
  readonly trimBlocks?: boolean;
  readonly lstripBlocks?: boolean;
  /** block/variable/comment _start_string/_end_string; unset ones keep Jinja2's defaults */
  readonly delimiters?: Readonly<Partial<Record<'blockStart' | 'blockEnd' | 'variableStart' | 'variableEnd' | 'commentStart' | 'commentEnd', string>>>;
  /** Jinja2's newline_sequence: the template's own line ends become this. */
  readonly newlineSequence?: '\n' | '\r' | '\r\n';
  /** The template file (src as written, the path found, dest): its template_* variables. */
  readonly file?: { readonly src: string; readonly path: string; readonly dest?: string };
}

/** Renders Jinja2 for modules that need it (template, lookups); bound to the task's vars. */
export interface ModuleTemplating {
  renderFile(text: string, opts?: TemplateFileOptions): string;
  /** A bare Jinja2 expression's native value (debug `var:`). */
  evaluate(expr: string): unknown;
  /** A conditional like `when:` (assert `that:`), with extra variables on top. */
  conditional(expr: unknown, extraVars?: Readonly<Record<string, unknown>>): boolean;
}

/** What a probe or change step gets: the host with the task's become and `environment:` applied. */
export interface HostAccess {
  exec(command: string, opts?: { readonly stdin?: Buffer | string; readonly timeoutMs?: number }): Promise<ExecResult>;
  /** For file transfer (SFTP) and code that wraps become itself (pki, facts). */
  readonly connection: Connection;
  readonly become?: BecomeSpec;
  /** The task's `environment:` (exec applies it; for code that builds its own commands). */
  readonly env?: Readonly<Record<string, string>>;
}

/** What ctx.change gives back: the apply step's value, or nothing when check mode held it back. */
export type Change<T> = { readonly applied: true; readonly value: T } | { readonly applied: false; readonly value?: undefined };

/**
 * The gate for diffs (design.md §4), beside the one for changes: modules describe before and
 * after, the gate decides whether the task shows a diff (-D or its `diff:` keyword).
 */
export interface DiffGate {
  /** `{ diff }` for the result, or `{}` when the task shows no diff (then `describe` never runs). */
  of<D extends FileDiff | FileDiff[]>(describe: () => D | undefined): { diff?: D };
  /**
   * A probe reads what a diff shows (the old content) only when a diff is shown; otherwise
   * those bytes stay on the host. Also what a Python module is told (`_ansible_diff`).
   */
  readonly readsBefore: boolean;
}

/**
 * What the run saw of the connected host before this task (see run/host-notes.ts): a plan may
 * start from a note only behind a check the host makes itself, in the same round trip.
 */
export interface HostNotes {
  recall(key: string): unknown;
  /** undefined forgets the key. */
  note(key: string, value: unknown): void;
}

export interface ModuleContext {
  readonly host: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly loc: SourceLoc;
  readonly diffs: DiffGate;
  /**
   * The first way to the host: a read-only step (stat, checksum, status). It always runs, also
   * in check mode, with become and the task's environment applied. Opened on first use.
   */
  probe(command: string, stdin?: Buffer | string): Promise<ExecResult>;
  probe<T>(read: (host: HostAccess) => Promise<T>): Promise<T>;
  /**
   * The second way, the gate (design.md §4): a step that changes the host. It runs, or in check
   * mode is recorded as `what` and skipped ({ applied: false }). Modules never read check mode.
   */
  change(what: string, command: string, stdin?: Buffer | string): Promise<Change<ExecResult>>;
  change<T>(what: string, apply: (host: HostAccess) => Promise<T>): Promise<Change<T>>;
  /**
   * The gate for a change folded into the same round trip as a probe (round trips must not
   * grow): records `what` and says whether the change may run now (false in check mode).
   */
  mayChange(what: string): boolean;
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
  /** The run's notes on the connected host; undefined where nothing is kept (unit tests). */
  readonly notes?: HostNotes;
}

/** `async: seconds` and `poll: seconds` of a task, and ansible_async_dir (default ~/.ansible_async). */
export interface AsyncSpec {
  readonly seconds: number;
  readonly poll: number;
  readonly dir: string;
}

/**
 * Modules plan, then apply (design.md §4): `run` reads state first (ctx.probe), decides, and
 * changes the host only through ctx.change, which check mode holds back.
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
  /** The skip message when check mode skips it, if not ansible's generic one. */
  readonly checkSkipMsg?: string;
  run(ctx: ModuleContext): Promise<ModuleResult>;
}
