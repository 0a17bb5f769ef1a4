import type { SourceLoc } from '../types/source.js';

/**
 * The parsed playbook: immutable after loading (design.md §2). Raw values are kept untemplated;
 * templating happens at run time against each host's variables.
 */
export type RawVars = Readonly<Record<string, unknown>>;

/** Keywords shared by plays, blocks, roles and tasks; children inherit what they do not set. */
export interface Keywords {
  readonly when?: readonly unknown[];
  readonly tags?: readonly unknown[];
  readonly vars?: RawVars;
  readonly become?: unknown;
  readonly become_user?: unknown;
  readonly become_method?: unknown;
  readonly become_flags?: unknown;
  readonly become_exe?: unknown;
  readonly environment?: readonly unknown[];
  readonly check_mode?: unknown;
  readonly diff?: unknown;
  readonly ignore_errors?: unknown;
  readonly ignore_unreachable?: unknown;
  readonly no_log?: unknown;
  readonly run_once?: unknown;
  readonly delegate_to?: unknown;
  readonly delegate_facts?: unknown;
  readonly any_errors_fatal?: unknown;
  readonly connection?: unknown;
  readonly remote_user?: unknown;
  readonly port?: unknown;
  readonly throttle?: unknown;
  readonly timeout?: unknown;
  readonly module_defaults?: unknown;
}

export interface RoleRef {
  readonly name: string;
  readonly path: string;
  /**
   * ansible's ROLE_CACHE identity (path, params, when, tags, vars, from-files, from_include): one
   * has_run per host for all its twins, so such a role runs once per play unless allow_duplicates.
   */
  readonly key: string;
  /** This occurrence: the key plus, for import_role/include_role, where it is written. */
  readonly instance: string;
  readonly defaults: RawVars;
  readonly vars: RawVars;
  readonly params: RawVars;
  /** Role vars that are visible play-wide: vars/main.yml and `vars:` on the role entry (quirks). */
  readonly public: boolean;
  readonly parent?: RoleRef;
  /**
   * meta allow_duplicates, or for import_role/include_role their `allow_duplicates` argument
   * (ansible's IncludeRole: default true, replaces the meta value): the role runs again
   * wherever it appears, even when a twin already ran on the host.
   */
  readonly allowDuplicates: boolean;
  /** meta/main.yml dependencies, filled while the role loads: ansible's role defaults include theirs. */
  readonly dependencies: readonly RoleRef[];
}

export interface TaskNode {
  readonly kind: 'task';
  readonly loc: SourceLoc;
  readonly name?: string;
  readonly action: string;
  /** The action as written (e.g. ansible.builtin.debug) when it differs: ansible titles unnamed tasks with it. */
  readonly actionWritten?: string;
  readonly args: RawVars;
  readonly kw: Keywords;
  readonly role?: RoleRef;
  readonly register?: string;
  readonly loop?: unknown;
  /** with_<lookup>: the lookup name; the terms are in `loop`. */
  readonly loopLookup?: string;
  readonly loopControl?: RawVars;
  readonly changedWhen?: readonly unknown[];
  readonly failedWhen?: readonly unknown[];
  readonly until?: readonly unknown[];
  readonly retries?: unknown;
  readonly delay?: unknown;
  /** `async:` seconds and `poll:` seconds (templated at run time). */
  readonly async?: unknown;
  readonly poll?: unknown;
  readonly notify?: readonly string[];
  readonly listen?: readonly string[];
  readonly isHandler: boolean;
  /** include_tasks / include_role / import with templated paths resolve at run time. */
  readonly dynamic?: 'include_tasks' | 'include_role';
}

export interface BlockNode {
  readonly kind: 'block';
  readonly loc: SourceLoc;
  readonly name?: string;
  readonly kw: Keywords;
  readonly role?: RoleRef;
  readonly block: readonly Node[];
  readonly rescue: readonly Node[];
  readonly always: readonly Node[];
  /** Blocks made by import_tasks/import_role/role entries; reported like plain containers. */
  readonly implicit: boolean;
  /** Set on the block that wraps a role's tasks: marks role start for role_name etc. */
  readonly roleBoundary?: RoleRef;
}

export type Node = TaskNode | BlockNode;

export type PlaySection = 'pre_tasks' | 'roles' | 'tasks' | 'post_tasks';

export interface Play {
  readonly loc: SourceLoc;
  readonly name: string;
  readonly hosts: unknown;
  readonly kw: Keywords;
  readonly gatherFacts: unknown;
  readonly gatherSubset?: unknown;
  readonly serial?: unknown;
  /** As written (may be templated); absent: ANSIBLE_STRATEGY / ansible.cfg, else linear. */
  readonly strategy?: unknown;
  readonly strategyLoc: SourceLoc;
  readonly forks?: number;
  readonly order?: string;
  readonly maxFailPercentage?: unknown;
  readonly forceHandlers?: unknown;
  readonly varsFiles: readonly unknown[];
  readonly varsPrompt: readonly RawVars[];
  /** pre_tasks, then roles + tasks, then post_tasks; handlers flush after each (like ansible). */
  readonly sections: readonly (readonly Node[])[];
  readonly handlers: readonly Node[];
  readonly roles: readonly RoleRef[];
  readonly playbookDir: string;
  readonly playbookFile: string;
}

export interface Playbook {
  readonly file: string;
  readonly plays: readonly Play[];
}
