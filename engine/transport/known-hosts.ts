import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One usable line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  readonly marker?: '@revoked' | '@cert-authority';
  /** Comma-separated patterns as written, or one `|1|salt|hash` hashed name. */
  readonly hosts: string;
  readonly keyType: string;
  /** base64 of the public key blob (the same bytes ssh2 hands the host verifier). */
  readonly key: string;
  readonly line: number;
}

export type HostKeyMode = 'strict' | 'accept-new' | 'off';

export type HostKeyVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'new'; readonly otherTypesKnown: readonly string[] }
  | { readonly kind: 'mismatch'; readonly entry: KnownHostEntry }
  | { readonly kind: 'revoked'; readonly entry: KnownHostEntry };

/** Parses known_hosts text; comments, blank and malformed lines are skipped like OpenSSH does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    else if (fields[0].startsWith('@')) return;
    if (fields.length < 3) return;
    out.push({ marker, hosts: fields[0], keyType: fields[1], key: fields[2], line: i + 1 });
  });
  return out;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH's hashed host names: `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`. */
export function hashHostName(name: string, salt: Buffer): string {
  const mac = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${mac}`;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Does an entry's host field name this host? Handles hashes, wildcards and `!negation`. */
export function entryMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const salt = Buffer.from(hosts.split('|')[2] ?? '', 'base64');
    return hashHostName(name, salt) === hosts;
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (!globToRegExp(negated ? pattern.slice(1) : pattern).test(name)) continue;
    if (negated) return false; // like OpenSSH: a matching negation wins over any positive match
    matched = true;
  }
  return matched;
}

/** The key type written inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** `SHA256:...` fingerprint as ssh-keygen -l prints it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Compares the key a server offered with the known entries for that host name. */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, blob: Buffer): HostKeyVerdict {
  const key = blob.toString('base64');
  const type = keyTypeOfBlob(blob);
  const mine = entries.filter((e) => e.marker !== '@cert-authority' && entryMatches(e.hosts, name));
  const revoked = mine.find((e) => e.marker === '@revoked' && e.key === key);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = mine.filter((e) => e.marker === undefined);
  if (plain.some((e) => e.keyType === type && e.key === key)) return { kind: 'ok' };
  const changed = plain.find((e) => e.keyType === type);
  if (changed) return { kind: 'mismatch', entry: changed };
  return { kind: 'new', otherTypesKnown: [...new Set(plain.map((e) => e.keyType))] };
}

/** Key types known for a host, to offer them first in the key exchange like OpenSSH does. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const types = entries.filter((e) => e.marker === undefined && entryMatches(e.hosts, name)).map((e) => e.keyType);
  return [...new Set(types)];
}

export async function loadKnownHosts(file: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** accept-new: record a first-seen key (plain name, like OpenSSH with HashKnownHosts=no). */
export async function appendKnownHost(file: string, name: string, blob: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const existing = await readFile(file, 'utf8').catch(() => '');
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${sep}${name} ${keyTypeOfBlob(blob)} ${blob.toString('base64')}\n`, { mode: 0o600 });
}

/**
 * Why a host key was refused, in words a user can act on. Undefined means: go ahead.
 * Like OpenSSH, a changed key is refused in every mode except off.
 */
export function refusalMessage(verdict: HostKeyVerdict, mode: HostKeyMode, name: string, file: string, blob: Buffer): string | undefined {
  const fp = fingerprint(blob);
  switch (verdict.kind) {
    case 'ok':
      return undefined;
    case 'revoked':
      return `the ${keyTypeOfBlob(blob)} host key ${fp} of ${name} is marked @revoked in ${file}:${verdict.entry.line}`;
    case 'mismatch':
      return (
        `REMOTE HOST IDENTIFICATION HAS CHANGED for ${name}: it offered ${verdict.entry.keyType} key ${fp}, ` +
        `but ${file}:${verdict.entry.line} records a different key. If the host was reinstalled, remove the old ` +
        `entry with: ssh-keygen -f ${file} -R '${name}'`
      );
    case 'new':
      if (mode !== 'strict') return undefined;
      return (
        `host key verification failed: ${name} is not in ${file} (its ${keyTypeOfBlob(blob)} key is ${fp}` +
        (verdict.otherTypesKnown.length > 0 ? `; only ${verdict.otherTypesKnown.join(', ')} keys are known` : '') +
        `). Add it with: ssh-keyscan -p ${portOf(name)} ${hostOf(name)} >> ${file}, ` +
        `or set host_key_checking = False (ANSIBLE_HOST_KEY_CHECKING=False) to skip the check`
      );
  }
}

function portOf(name: string): number {
  const m = /^\[.*\]:(\d+)$/.exec(name);
  return m ? Number(m[1]) : 22;
}

function hostOf(name: string): string {
  const m = /^\[(.*)\]:\d+$/.exec(name);
  return m ? m[1] : name;
}
