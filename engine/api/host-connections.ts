import type { AnsibleSettings } from '../config/ansible-cfg.js';
import { inventoryVarLayers, type Inventory } from '../inventory/index.js';
import { connectionParams } from '../run/connection-params.js';
import type { RunOptions } from '../run/context.js';
import type { Templar } from '../template/index.js';
import { createConnectionFactory } from '../transport/connect.js';
import type { Connection } from '../types/connection.js';
import { LazyVars } from '../vars/var-source.js';

/** Opens connections to inventory hosts outside a playbook run (certs commands). */
export function inventoryConnector(inv: Inventory, settings: AnsibleSettings, templar: Templar) {
  const factory = createConnectionFactory({ persistentShell: settings.persistentShell });
  const opts: Pick<RunOptions, 'remoteUser' | 'privateKeyFile' | 'connectTimeoutSec' | 'hostKeyChecking'> = {
    remoteUser: settings.remoteUser,
    privateKeyFile: settings.privateKeyFile,
    connectTimeoutSec: settings.timeout,
    hostKeyChecking: settings.hostKeyChecking ? 'strict' : 'off',
  };
  return (host: string): Promise<Connection> => {
    const layers = inventoryVarLayers(inv, host).map((l) => ({ layer: 'inventory' as const, source: l.source, vars: l.vars }));
    const vars = new LazyVars([...layers, { layer: 'magic', source: 'magic', vars: { inventory_hostname: host }, final: true }], templar);
    return factory.connect(connectionParams(host, vars, {}, opts as RunOptions, true));
  };
}
