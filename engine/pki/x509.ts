import { randomBytes, sign as cryptoSign, X509Certificate, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import type Forge from 'node-forge';
import type { ExtKeyUsage } from './spec.js';
import { sanSet, type SanSet } from './sans.js';

const requireCjs = createRequire(import.meta.url);

/** node-forge is loaded with the first certificate, not at start: it is a large part of start-up. */
function forgeLib(): typeof Forge {
  return requireCjs('node-forge') as typeof Forge;
}

/**
 * X.509 building and parsing with node-forge; the RSA signature itself is made by Node's crypto
 * (forge's cert.sign calls key.sign(md) after computing the TBS, so a signer object stands in
 * for a forge private key).
 */

export interface CertRequest {
  readonly cn: string;
  readonly org: readonly string[];
  readonly sans: SanSet;
  readonly ekus: readonly ExtKeyUsage[];
  readonly isCa: boolean;
  readonly publicPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface Issuer {
  readonly certPem: string;
  readonly key: KeyObject;
}

export interface CertInfo {
  readonly pem: string;
  readonly cn: string;
  readonly org: readonly string[];
  readonly issuerCn: string;
  readonly sans: SanSet;
  readonly ekus: readonly ExtKeyUsage[];
  readonly isCa: boolean;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Issues a certificate; without an issuer it is self-signed with `selfKey` (a CA). */
export function issueCert(req: CertRequest, issuer: Issuer | { readonly selfKey: KeyObject }): string {
  const forge = forgeLib();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(req.publicPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = req.notBefore;
  cert.validity.notAfter = req.notAfter;
  const subject = subjectAttrs(req.cn, req.org);
  cert.setSubject(subject);
  const caCert = 'certPem' in issuer ? forge.pki.certificateFromPem(issuer.certPem) : undefined;
  cert.setIssuer(caCert ? caCert.subject.attributes : subject);
  cert.setExtensions(extensions(req, caCert));
  const key = 'certPem' in issuer ? issuer.key : issuer.selfKey;
  const signer = {
    sign: (): string => {
      const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
      return cryptoSign('sha256', tbs, key).toString('binary');
    },
  };
  cert.sign(signer as unknown as Forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

/** Go's pkix.Name order: O before CN (openssl prints "O = ..., CN = ..."). */
function subjectAttrs(cn: string, org: readonly string[]): Forge.pki.CertificateField[] {
  return [...org.map((o) => ({ shortName: 'O', value: o })), { shortName: 'CN', value: cn }];
}

function extensions(req: CertRequest, caCert: Forge.pki.Certificate | undefined): object[] {
  const exts: object[] = [
    req.isCa
      ? { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, keyCertSign: true }
      : { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
  ];
  if (req.ekus.length > 0) exts.push({ name: 'extKeyUsage', ...Object.fromEntries(req.ekus.map((e) => [e, true])) });
  exts.push({ name: 'basicConstraints', critical: true, cA: req.isCa });
  if (req.isCa) exts.push({ name: 'subjectKeyIdentifier' });
  const ski = caCert ? subjectKeyId(caCert) : undefined;
  if (ski) exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: forgeLib().util.hexToBytes(ski) });
  const altNames = [...req.sans.dns.map((value) => ({ type: 2, value })), ...req.sans.ips.map((ip) => ({ type: 7, ip }))];
  if (altNames.length > 0) exts.push({ name: 'subjectAltName', altNames });
  return exts;
}

function subjectKeyId(cert: Forge.pki.Certificate): string | undefined {
  const ext = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  return ext?.subjectKeyIdentifier;
}

/** A positive 63-bit serial, like kubeadm's random serial below MaxInt64. */
function randomSerial(): string {
  const b = randomBytes(8);
  b[0] = ((b[0] ?? 1) & 0x7f) | 0x01;
  return b.toString('hex');
}

export function parseCert(pem: string): CertInfo {
  const forge = forgeLib();
  const cert = forge.pki.certificateFromPem(pem);
  const attr = (attrs: Forge.pki.CertificateField[], short: string): string[] =>
    attrs.filter((a) => a.shortName === short).map((a) => String(a.value));
  const san = cert.getExtension('subjectAltName') as { altNames?: { type: number; value?: string; ip?: string }[] } | undefined;
  const names = (san?.altNames ?? []).flatMap((n) => (n.type === 7 && n.ip ? [n.ip] : n.type === 2 && n.value ? [n.value] : []));
  const eku = cert.getExtension('extKeyUsage') as Record<string, unknown> | undefined;
  const bc = cert.getExtension('basicConstraints') as { cA?: boolean } | undefined;
  return {
    pem,
    cn: attr(cert.subject.attributes, 'CN')[0] ?? '',
    org: attr(cert.subject.attributes, 'O'),
    issuerCn: attr(cert.issuer.attributes, 'CN')[0] ?? '',
    sans: sanSet(names),
    ekus: (['serverAuth', 'clientAuth'] as const).filter((e) => eku?.[e] === true),
    isCa: bc?.cA === true,
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
  };
}

/** Parses or returns undefined: an unreadable file on a host is "invalid", not a crash. */
export function tryParseCert(pem: string | undefined): CertInfo | undefined {
  if (pem === undefined) return undefined;
  try {
    return parseCert(pem);
  } catch {
    return undefined;
  }
}

/** Native signature check (fast): was `leafPem` signed by the key of `caPem`? */
export function signedBy(leafPem: string, caPem: string): boolean {
  try {
    return new X509Certificate(leafPem).verify(new X509Certificate(caPem).publicKey);
  } catch {
    return false;
  }
}

export function keyMatchesCert(key: KeyObject, certPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(key);
  } catch {
    return false;
  }
}
