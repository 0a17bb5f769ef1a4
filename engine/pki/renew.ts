import { createPrivateKey } from 'node:crypto';
import { validityWindow } from './issue.js';
import { generateRsaKey } from './keys.js';
import { parseKubeconfig, renderKubeconfig } from './kubeconfig.js';
import type { FileWrite, HostFiles } from './plan-types.js';
import { caPaths, readLocation, type CertLocation, type Dirs } from './expiration.js';
import { issueCert, type CertInfo } from './x509.js';

export type RenewOutcome =
  | { readonly kind: 'renewed'; readonly name: string; readonly writes: readonly FileWrite[] }
  | { readonly kind: 'missing'; readonly name: string }
  | { readonly kind: 'external'; readonly name: string; readonly ca: string };

/**
 * Like `kubeadm certs renew`: a new key and a new certificate with the subject, SANs and
 * extended key usages of the existing one, signed by the local CA. A CA without its key
 * (external CA) cannot renew anything it signed.
 */
export async function renewLocation(host: HostFiles, loc: CertLocation, d: Dirs, days: number, now: Date): Promise<RenewOutcome> {
  const info = readLocation(host, loc);
  if (!info) return { kind: 'missing', name: loc.name };
  const ca = caPaths(loc.ca, d.certDir);
  const caCert = host.get(ca.certPath)?.content;
  const caKey = host.get(ca.keyPath)?.content;
  if (caCert === undefined || caKey === undefined) return { kind: 'external', name: loc.name, ca: loc.ca };
  const key = await generateRsaKey();
  const certPem = reissue(info, key.publicPem, { certPem: caCert, key: createPrivateKey(caKey) }, days, now);
  if (loc.kind === 'pair') {
    return {
      kind: 'renewed', name: loc.name, writes: [
        { path: loc.certPath, content: certPem, mode: 0o644, reason: 'renewed' },
        { path: loc.keyPath, content: key.privatePem, mode: 0o600, reason: 'renewed' },
      ],
    };
  }
  const old = parseKubeconfig(host.get(loc.path)?.content ?? '');
  const content = renderKubeconfig({ clusterName: old.clusterName, server: old.server, caPem: caCert, userName: old.userName, certPem, keyPem: key.privatePem });
  return { kind: 'renewed', name: loc.name, writes: [{ path: loc.path, content, mode: 0o600, reason: 'renewed' }] };
}

function reissue(info: CertInfo, publicPem: string, issuer: { certPem: string; key: ReturnType<typeof createPrivateKey> }, days: number, now: Date): string {
  return issueCert({ cn: info.cn, org: info.org, sans: info.sans, ekus: info.ekus, isCa: false, publicPem, ...validityWindow(now, days) }, issuer);
}
