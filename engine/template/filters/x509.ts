import { createHash, X509Certificate } from 'node:crypto';
import { TemplateError } from '../../errors/index.js';
import { pyStr } from '../python/repr.js';
import type { FilterTable } from './types.js';

/**
 * kubeadm's --discovery-token-ca-cert-hash / caCertHashes value for a CA certificate (PEM):
 * "sha256:" + hex sha256 of the certificate's DER SubjectPublicKeyInfo, i.e.
 * `openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256sum`. Computed on the
 * controller from the CA's text (e.g. slurped from the first control plane).
 */
function kubeadmCaCertHash(pem: unknown): string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pyStr(pem));
  } catch (e) {
    throw new TemplateError(`kubeadm_ca_cert_hash: not a PEM certificate (${(e as Error).message})`, { hint: 'pass the text of the cluster CA, e.g. ca.crt slurped and b64decoded' });
  }
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

export const x509Filters: FilterTable = {
  kubeadm_ca_cert_hash: kubeadmCaCertHash,
};
