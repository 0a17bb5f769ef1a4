import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { PyDatetime } from './python/datetime.js';

/** A local wall-clock time as a naive Python datetime (like datetime.fromtimestamp). */
export function localDatetime(d: Date): PyDatetime {
  return PyDatetime.fromParts({
    year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(),
    hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds(), micro: d.getMilliseconds() * 1000,
  });
}

/** The user name of a uid from /etc/passwd (like pwd.getpwuid), else the number. */
function userName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[2] === String(uid) && f[0]) return f[0];
    }
  } catch {
    // no passwd file: the number, like a uid without an entry
  }
  return String(uid);
}

/**
 * ansible's generate_ansible_template_vars(path, fullpath, dest_path): what a template sees about
 * itself (template_mtime and template_run_date are datetimes, template_uid the owner's name).
 */
export function ansibleTemplateVars(path: string, fullpath: string, destPath?: string): Record<string, unknown> {
  const st = statSync(fullpath);
  return {
    template_host: hostname(),
    template_path: path,
    template_mtime: localDatetime(st.mtime),
    template_uid: userName(st.uid),
    template_run_date: localDatetime(new Date()),
    template_destpath: destPath ?? null,
    template_fullpath: resolve(fullpath),
  };
}
