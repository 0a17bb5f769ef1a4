import { Command } from 'commander';
import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { OptionError } from '../errors/index.js';
import { runCerts } from '../api.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `tsplay certs check-expiration|renew all|NAME -i INV`: kubeadm's commands over SSH on the control planes. */
export async function runCertsCommand(argv: string[], settings: AnsibleSettings, cwd: string, write: (t: string) => void): Promise<number> {
  const program = new Command('tsplay certs')
    .argument('<action>', 'check-expiration or renew')
    .argument('[which]', 'for renew: all or one certificate name')
    .option('-i, --inventory <path>', 'inventory (repeatable)', collect, [])
    .option('-l, --limit <pattern>', 'limit hosts')
    .option('--hosts <pattern>', 'which hosts hold the certificates', 'kube_control_plane')
    .option('--cert-dir <dir>', 'certificate folder', '/etc/kubernetes/pki')
    .option('--kubeconfig-dir <dir>', 'kubeconfig folder', '/etc/kubernetes')
    .option('--warn-days <n>', 'warn when a certificate expires within N days', (v) => Number(v), 30)
    .option('--cert-validity-days <n>', 'renew: validity of renewed leaves', (v) => Number(v))
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if ((e as { code?: string }).code === 'commander.helpDisplayed') return 0;
    throw new OptionError((e as Error).message.replace(/^error: /, ''), { hint: 'tsplay certs check-expiration -i INV | tsplay certs renew all -i INV' });
  }
  const [action, which] = program.args as [string, string | undefined];
  if (action !== 'check-expiration' && action !== 'renew') throw new OptionError(`unknown certs action '${action}'`, { hint: 'check-expiration or renew' });
  const o = program.opts();
  return runCerts({
    action, which, inventories: o.inventory as string[], limit: o.limit as string | undefined, hosts: o.hosts as string,
    certDir: o.certDir as string, kubeconfigDir: o.kubeconfigDir as string, warnDays: o.warnDays as number,
    certValidityDays: o.certValidityDays as number | undefined,
  }, settings, cwd, write);
}
