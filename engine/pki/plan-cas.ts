import { createPublicKey } from 'node:crypto';
import { loadKeyPair } from './keys.js';
import type { FileWrite, HostFiles, ResolvedCa, SharedPki } from './plan-types.js';
import type { CaName } from './spec.js';
import { keyMatchesCert, tryParseCert } from './x509.js';

export interface CaPlacement {
  readonly name: CaName;
  readonly certPath: string;
  readonly keyPath: string;
  /** Kubespray does not copy the etcd CA key to control planes that are not etcd members. */
  readonly distributeKey: boolean;
}

export type CaOutcome =
  | { readonly kind: 'ok'; readonly ca: ResolvedCa; readonly writes: readonly FileWrite[] }
  | { readonly kind: 'refused'; readonly message: string };

const samePem = (a: string, b: string): boolean => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

/**
 * A CA already on the host always wins and is never rewritten. Without its key the host is in
 * external-CA mode unless the shared store holds the key of that very certificate.
 */
export function resolveCa(p: CaPlacement, host: HostFiles, shared: SharedPki | undefined): CaOutcome {
  const hostCert = host.get(p.certPath)?.content;
  const hostKey = host.get(p.keyPath)?.content;
  const stored = shared?.cas.get(p.name);
  if (hostCert === undefined) {
    if (!stored) return { kind: 'refused', message: `${p.name}: ${p.certPath} is missing and no shared CA is available to distribute` };
    const writes: FileWrite[] = [{ path: p.certPath, content: stored.certPem, mode: 0o644, reason: 'CA distributed' }];
    if (p.distributeKey) writes.push({ path: p.keyPath, content: stored.keyPem, mode: 0o600, reason: 'CA key distributed' });
    return { kind: 'ok', ca: { certPem: stored.certPem, keyPem: stored.keyPem }, writes };
  }
  const info = tryParseCert(hostCert);
  if (!info?.isCa) return { kind: 'refused', message: `${p.name}: ${p.certPath} is not a readable CA certificate; tsplay never overwrites a CA, fix or remove it by hand` };
  if (hostKey !== undefined) {
    if (!keyLoadsAndMatches(hostKey, hostCert)) return { kind: 'refused', message: `${p.name}: ${p.keyPath} does not match ${p.certPath}; tsplay never overwrites a CA` };
    return { kind: 'ok', ca: { certPem: hostCert, keyPem: hostKey }, writes: [] };
  }
  if (stored && samePem(stored.certPem, hostCert)) {
    const writes: FileWrite[] = p.distributeKey ? [{ path: p.keyPath, content: stored.keyPem, mode: 0o600, reason: 'CA key distributed' }] : [];
    return { kind: 'ok', ca: { certPem: hostCert, keyPem: stored.keyPem }, writes };
  }
  return { kind: 'ok', ca: { certPem: hostCert }, writes: [] };
}

function keyLoadsAndMatches(keyPem: string, certPem: string): boolean {
  try {
    return keyMatchesCert(loadKeyPair(keyPem).privateKey, certPem);
  } catch {
    return false;
  }
}

/** sa.key on the host is kept (rotating it would invalidate every service-account token). */
export function planServiceAccount(keyPath: string, pubPath: string, host: HostFiles, shared: SharedPki | undefined): CaOutcome {
  const hostKey = host.get(keyPath)?.content;
  if (hostKey === undefined) {
    if (!shared) return { kind: 'refused', message: `sa: ${keyPath} is missing and no shared key pair is available` };
    return {
      kind: 'ok',
      ca: { certPem: '' },
      writes: [
        { path: keyPath, content: shared.sa.keyPem, mode: 0o600, reason: 'service-account key distributed' },
        { path: pubPath, content: shared.sa.pubPem, mode: 0o644, reason: 'service-account key distributed' },
      ],
    };
  }
  let pub: string;
  try {
    pub = createPublicKey(hostKey).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return { kind: 'refused', message: `sa: ${keyPath} is not a readable private key; remove it to have a new pair generated` };
  }
  const hostPub = host.get(pubPath)?.content;
  const writes: FileWrite[] = hostPub !== undefined && samePem(hostPub, pub) ? [] : [{ path: pubPath, content: pub, mode: 0o644, reason: 'sa.pub derived from sa.key' }];
  return { kind: 'ok', ca: { certPem: '' }, writes };
}
