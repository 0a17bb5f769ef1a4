import type { ModuleContext } from '../../types/module.js';
import { runScript } from './exec.js';

/**
 * Like AnsibleModule's `path` arguments (os.path.expanduser in the module's process): a leading
 * ~ or ~user is that user's home on the host, as the become user. Costs one round trip, and
 * only for such paths.
 */
export async function expandUser(ctx: ModuleContext, path: string): Promise<string> {
  const m = /^~([A-Za-z0-9_.-]*)(?=\/|$)/.exec(path);
  if (m === null) return path;
  // the user name matched a safe pattern, so the tilde can stay unquoted for the shell to expand
  const res = await runScript(ctx, `printf '%s\\n' ~${m[1]}`);
  const home = res.stdout.trim();
  return res.rc === 0 && home.startsWith('/') ? `${home}${path.slice(m[0].length)}` : path;
}
