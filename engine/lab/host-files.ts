import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** /etc/hosts of every lab host: all lab hosts by name, so roles can use names like on real machines. */
export function renderEtcHosts(self: string, hosts: readonly { name: string; ip: string }[]): string {
  const lines = ['127.0.0.1\tlocalhost', `127.0.1.1\t${self}`, '::1\tlocalhost ip6-localhost ip6-loopback'];
  return lines.concat(hosts.map((h) => `${h.ip}\t${h.name}`)).join('\n') + '\n';
}

/** A unique machine-id per host: etcd, journald and systemd key things on it. */
export function newMachineId(): string {
  return randomBytes(16).toString('hex') + '\n';
}

/** rootHome/.ssh/authorized_keys with the lab key; sshd's StrictModes wants 0700/0600. */
export async function writeAuthorizedKey(rootHome: string, publicKey: string): Promise<void> {
  const dir = join(rootHome, '.ssh');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(rootHome, 0o700);
  await chmod(dir, 0o700);
  await writeFile(join(dir, 'authorized_keys'), publicKey + '\n', { mode: 0o600 });
}
