import type { TaskStatus } from './outcome.js';
import type { SourceLoc } from './source.js';

export interface TaskInfo {
  readonly name: string;
  readonly action: string;
  readonly loc: SourceLoc;
  readonly isHandler: boolean;
  readonly role?: string;
}

export interface HostCounters {
  readonly ok: number;
  readonly changed: number;
  readonly unreachable: number;
  readonly failures: number;
  readonly skipped: number;
  readonly rescued: number;
  readonly ignored: number;
}

/** Everything a reporter can see (closed union; reporters switch exhaustively). */
export type RunEvent =
  | { readonly kind: 'playbook_start'; readonly file: string; readonly plays?: number; /** the path as the user gave it */ readonly given?: string }
  /** strategy: the play's strategy plugin (absent: linear); ansible's callbacks print free plays differently. */
  | { readonly kind: 'play_start'; readonly name: string; readonly loc: SourceLoc; readonly hosts: readonly string[]; readonly strategy?: string }
  | { readonly kind: 'no_hosts'; readonly name: string }
  | { readonly kind: 'task_start'; readonly task: TaskInfo }
  | {
      readonly kind: 'host_result';
      readonly task: TaskInfo;
      readonly host: string;
      readonly status: TaskStatus;
      readonly result: Readonly<Record<string, unknown>>;
      readonly delegatedTo?: string;
      readonly ignored: boolean;
      readonly noLog: boolean;
    }
  | {
      readonly kind: 'item_result';
      readonly task: TaskInfo;
      readonly host: string;
      readonly status: TaskStatus;
      readonly label: string;
      readonly result: Readonly<Record<string, unknown>>;
      readonly delegatedTo?: string;
      readonly noLog: boolean;
    }
  | { readonly kind: 'included'; readonly file: string; readonly hosts: readonly string[]; readonly item?: string }
  | { readonly kind: 'retry'; readonly task: TaskInfo; readonly host: string; readonly attempt: number; readonly retries: number; readonly result: Readonly<Record<string, unknown>> }
  /** once: from the controller itself (ansible's Display.warning dedups those per run), not from a task. */
  | { readonly kind: 'warning'; readonly message: string; readonly once?: boolean }
  | { readonly kind: 'retry_file'; readonly path: string }
  | { readonly kind: 'debug_log'; readonly level: number; readonly host: string; readonly message: string }
  | { readonly kind: 'recap'; readonly stats: ReadonlyMap<string, HostCounters> };
