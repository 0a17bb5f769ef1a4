import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Names ansible resolves to its implicit localhost when the inventory does not have them. */
export const IMPLICIT_LOCAL_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** The controller's python3, as ansible's sys.executable would be (first on a standard path). */
function controllerPython(): string {
  for (const dir of ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter)]) {
    const p = join(dir, 'python3');
    if (dir !== '' && existsSync(p)) return p;
  }
  return '/usr/bin/python3';
}

/**
 * Host variables of ansible's implicit localhost (InventoryData._create_implicit_localhost):
 * a local connection and the controller's interpreter.
 */
export function implicitLocalhostVars(): Readonly<Record<string, unknown>> {
  return { ansible_connection: 'local', ansible_python_interpreter: controllerPython() };
}

/**
 * ansible's PlayContext.update_vars: inside a task, ansible_host (and ansible_ssh_host) default
 * to the host's address, which is its inventory name unless set.
 */
export function connectionDefaults(host: string): Readonly<Record<string, unknown>> {
  return { ansible_host: host, ansible_ssh_host: host };
}
