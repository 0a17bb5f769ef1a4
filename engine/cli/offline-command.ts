import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runPlaybook } from '../api.js';
import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { OptionError, TsplayError } from '../errors/index.js';

const USAGE = 'usage: tsplay offline list -i INVENTORY [-e VAR=VALUE] [--out DIR]';

/** playbooks/ of this installation (dist/engine/cli → ../../../playbooks, engine/cli → ../../playbooks). */
function shippedPlaybook(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', 'playbooks', name), join(here, '..', '..', '..', 'playbooks', name)];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/**
 * `tsplay offline list`: renders files.list and images.list for the inventory (Kubespray's
 * contrib/offline generate_list, without a second tool): the run is a shipped playbook that
 * templates on the controller only, so no host is contacted.
 */
export async function runOfflineCommand(argv: string[], settings: AnsibleSettings, cwd: string, write: (t: string) => void): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list') throw new OptionError(sub === undefined ? 'tsplay offline needs a subcommand' : `unknown offline command '${sub}'`, { hint: USAGE });
  let values;
  try {
    values = parseArgs({ args: rest, strict: true, options: { inventory: { type: 'string', short: 'i', multiple: true }, out: { type: 'string' }, 'extra-vars': { type: 'string', short: 'e', multiple: true } } }).values;
  } catch (e) {
    throw new OptionError(`tsplay offline list: ${(e as Error).message}`, { hint: USAGE });
  }
  if (!values.inventory || values.inventory.length === 0) throw new OptionError('tsplay offline list needs an inventory', { hint: USAGE });
  const out = resolve(cwd, values.out ?? '.');
  await mkdir(out, { recursive: true });
  const extra = Object.fromEntries((values['extra-vars'] ?? []).map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
  const log: string[] = [];
  const playbook = shippedPlaybook('offline-list.yml');
  // the shipped roles are found from any working directory (after the configured roles_path)
  const withRoles = { ...settings, rolesPath: [...settings.rolesPath, join(dirname(dirname(playbook)), 'roles')] };
  const code = await runPlaybook({
    playbooks: [playbook], inventories: values.inventory, tags: [], skipTags: [],
    extraVars: { ...extra, offline_list_dir: out }, check: false, diff: false, verbosity: 0, mode: 'run', output: 'text', color: false,
  }, { write: (t) => log.push(t), settings: withRoles, cwd });
  if (code !== 0) throw new TsplayError('offline', `cannot render the offline lists for ${values.inventory.join(', ')}`, { hint: log.join('').trim().split('\n').filter((l) => /fatal|ERROR|error/.test(l)).slice(0, 3).join('\n') || 'run with a valid inventory' });
  for (const name of ['files.list', 'images.list']) {
    write(`# ${join(out, name)}\n${await readFile(join(out, name), 'utf8')}`);
  }
  return 0;
}
