import { dirname } from 'node:path';

/**
 * ansible's Task.get_search_path(): the running role chain's folders, innermost first, then the
 * folder of the file the task is written in. Exposed as the magic variable ansible_search_path;
 * lookups and controller-side modules look there, then in the playbook folder (ansible's basedir).
 */
export function taskSearchPath(rolePaths: readonly string[], taskFile: string | undefined): string[] {
  const out = [...rolePaths].reverse();
  if (taskFile !== undefined && !out.includes(dirname(taskFile))) out.push(dirname(taskFile));
  return out;
}

/**
 * ansible's DataLoader.path_dwim_relative_stack: for each search path <p>/<subdir>/<name> then
 * <p>/<name>, and the playbook folder last (the subdir is not added twice when the name already
 * starts with it).
 */
export function searchCandidates(paths: readonly string[], basedir: string | undefined, subdir: string, name: string): string[] {
  const withSub = name.split('/')[0] !== subdir;
  const out: string[] = [];
  for (const p of basedir === undefined || paths.includes(basedir) ? paths : [...paths, basedir]) {
    if (withSub) out.push(`${p}/${subdir}/${name}`);
    out.push(`${p}/${name}`);
  }
  return out;
}
