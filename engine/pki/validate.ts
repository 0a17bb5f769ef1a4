import { loadKeyPair } from './keys.js';
import { sansCover, type SanSet } from './sans.js';
import type { ExtKeyUsage } from './spec.js';
import { keyMatchesCert, signedBy, tryParseCert } from './x509.js';

/** What a leaf must look like; an existing certificate is kept when it satisfies all of it. */
export interface LeafWant {
  readonly cn: string;
  readonly org: readonly string[];
  readonly ekus: readonly ExtKeyUsage[];
  readonly sans: SanSet;
}

/**
 * Why an existing leaf cannot be kept, or undefined when it can. Like kubeadm, extra SANs in an
 * existing certificate are accepted; a missing one forces a reissue.
 */
export function leafProblem(
  certPem: string | undefined,
  keyPem: string | undefined,
  want: LeafWant,
  caPem: string,
  now: Date,
): string | undefined {
  if (certPem === undefined || keyPem === undefined) return 'missing';
  const info = tryParseCert(certPem);
  if (!info) return 'unreadable certificate';
  if (info.cn !== want.cn || !sameSet(info.org, want.org)) return 'subject changed';
  if (!want.ekus.every((e) => info.ekus.includes(e))) return 'extended key usage changed';
  if (!sansCover(info.sans, want.sans)) return 'SANs no longer match';
  if (!signedBy(certPem, caPem)) return 'not signed by the current CA';
  if (info.notAfter.getTime() <= now.getTime()) return 'expired';
  if (!keyOk(keyPem, certPem)) return 'private key does not match';
  return undefined;
}

function keyOk(keyPem: string, certPem: string): boolean {
  try {
    return keyMatchesCert(loadKeyPair(keyPem).privateKey, certPem);
  } catch {
    return false;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
