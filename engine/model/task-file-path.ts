import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** Where a task file named by import_tasks / include_tasks is looked for. */
export interface TaskFileBase {
  /** The including role's folder, when the include is in a role. */
  readonly roleDir?: string;
  /** The role's subfolder the include belongs to: `handlers` for a handler, else `tasks`. */
  readonly subdir: 'tasks' | 'handlers';
  /** Folder of the file that holds the include (ansible's parent include path). */
  readonly fileDir: string;
  readonly playbookDir: string;
}

/**
 * The candidate paths, first existing wins. Like ansible (helpers.load_list_of_tasks and
 * IncludedFile): the parent include's folder, then path_dwim_relative(role_path, subdir, name,
 * is_role=True) — the role's subfolder, its tasks/, the role folder itself — then the
 * playbook's folder. So a role handler `import_tasks: tasks/x.yml` finds ROLE/tasks/x.yml.
 */
export function taskFileCandidates(name: string, base: TaskFileBase): string[] {
  if (isAbsolute(name)) return [name];
  const { roleDir, subdir, fileDir, playbookDir } = base;
  const role = roleDir === undefined ? [] : [join(roleDir, subdir, name)];
  const roleRest = roleDir === undefined ? [] : [
    ...(name.endsWith(subdir) ? [] : [join(roleDir, 'tasks', name)]),
    join(roleDir, name),
  ];
  const all = [...role, join(fileDir, name), ...roleRest, join(playbookDir, name)];
  return all.filter((p, i) => all.indexOf(p) === i);
}

export function findTaskFile(name: string, base: TaskFileBase): { hit?: string; candidates: string[] } {
  const candidates = taskFileCandidates(name, base);
  return { hit: candidates.find((c) => existsSync(c)), candidates };
}
