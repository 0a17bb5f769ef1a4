import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { OptionError } from '../errors/index.js';
import { applyLimit, loadInventory, selectHosts } from '../inventory/index.js';
import { checkExpiration, renewCerts, type CertsTarget } from '../pki/certs-command.js';
import { Templar } from '../template/index.js';
import { inventoryConnector } from './host-connections.js';

/** `tsplay certs check-expiration|renew`: kubeadm's commands over SSH on the control planes. */
export interface CertsRequest {
  readonly action: 'check-expiration' | 'renew';
  /** for renew: all or one certificate name */
  readonly which?: string;
  readonly inventories: readonly string[];
  readonly limit?: string;
  readonly hosts: string;
  readonly certDir: string;
  readonly kubeconfigDir: string;
  readonly warnDays: number;
  readonly certValidityDays?: number;
}

export async function runCerts(req: CertsRequest, settings: AnsibleSettings, cwd: string, write: (t: string) => void): Promise<number> {
  const inv = loadInventory(req.inventories.length > 0 ? req.inventories : settings.inventory, { cwd });
  let hosts = selectHosts(inv, req.hosts);
  if (req.limit) hosts = applyLimit(inv, hosts, req.limit);
  if (hosts.length === 0) throw new OptionError(`no hosts match '${req.hosts}'`, { hint: 'certificates live on the kube_control_plane group; check the inventory' });
  const connect = inventoryConnector(inv, settings, new Templar());
  const targets: CertsTarget[] = await Promise.all(hosts.map(async (host) => ({ host, conn: await connect(host) })));
  try {
    const opts = { certDir: req.certDir, kubeconfigDir: req.kubeconfigDir, warnDays: req.warnDays };
    const out = req.action === 'check-expiration'
      ? await checkExpiration(targets, opts)
      : await renewCerts(targets, req.which ?? 'all', { ...opts, certValidityDays: req.certValidityDays });
    write(out.text);
    return out.exitCode;
  } finally {
    await Promise.all(targets.map((t) => t.conn.close()));
  }
}
