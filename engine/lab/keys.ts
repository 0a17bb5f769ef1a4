import { existsSync } from 'node:fs';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.js';

/**
 * Host key types generated per host. RSA is left out on purpose: generating it costs
 * ~0.3 s of CPU per host, and every client here speaks ed25519.
 */
export const HOST_KEY_TYPES = ['ed25519', 'ecdsa'] as const;

/** The lab's login key pair (ed25519, private key 0600), kept across ups of the same lab. */
export async function ensureLabKey(stateDir: string, labName: string): Promise<{ privateKey: string; publicKey: string }> {
  const privateKey = join(stateDir, 'id_ed25519');
  if (!existsSync(privateKey) || !existsSync(`${privateKey}.pub`)) {
    await rm(privateKey, { force: true });
    await rm(`${privateKey}.pub`, { force: true });
    await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `tsplay-lab-${labName}`, '-f', privateKey], { what: 'ssh-keygen failed' });
  }
  await chmod(privateKey, 0o600);
  return { privateKey, publicKey: (await readFile(`${privateKey}.pub`, 'utf8')).trim() };
}

/** Fresh host keys in sshDir; returns `type base64` of each public key for known_hosts. */
export async function generateHostKeys(sshDir: string, hostName: string): Promise<string[]> {
  return Promise.all(HOST_KEY_TYPES.map(async (type) => {
    const file = join(sshDir, `ssh_host_${type}_key`);
    await rm(file, { force: true });
    await rm(`${file}.pub`, { force: true });
    await run(['ssh-keygen', '-q', '-t', type, '-N', '', '-C', `root@${hostName}`, '-f', file], { what: 'ssh-keygen failed' });
    const pub = (await readFile(`${file}.pub`, 'utf8')).trim().split(/\s+/);
    return `${pub[0]} ${pub[1]}`;
  }));
}

/**
 * known_hosts from the keys the lab generated itself (nothing learnt on first use), under
 * both the address and the inventory name.
 */
export function renderKnownHosts(hosts: readonly { name: string; ip: string; keys: readonly string[] }[]): string {
  return hosts.flatMap((h) => h.keys.map((k) => `${h.ip},${h.name} ${k}\n`)).join('');
}

export async function writeKnownHosts(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o644 });
}
