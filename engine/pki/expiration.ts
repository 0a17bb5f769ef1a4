import { posix } from 'node:path';
import { parseKubeconfig } from './kubeconfig.js';
import type { HostFiles } from './plan-types.js';
import { CA_SPECS, KUBECONFIG_SPECS, LEAF_SPECS, type CaName } from './spec.js';
import { kubeadmDate, shortHumanDuration, tabwrite } from './tabwriter.js';
import { tryParseCert, type CertInfo } from './x509.js';

/** One row of check-expiration: a leaf or kubeconfig (with its CA) or a CA. */
export interface ExpiryRow {
  readonly name: string;
  readonly ca?: CaName;
  readonly notAfter?: Date;
  readonly external: boolean;
}

export interface Dirs {
  readonly certDir: string;
  readonly kubeconfigDir: string;
}

/** Where a kubeadm-managed certificate lives: a .crt file or a kubeconfig's embedded client cert. */
export type CertLocation =
  | { readonly kind: 'pair'; readonly name: string; readonly ca: CaName; readonly certPath: string; readonly keyPath: string }
  | { readonly kind: 'kubeconfig'; readonly name: string; readonly ca: CaName; readonly path: string };

/**
 * kubeadm's certificate list, in its (alphabetical) order. Like kubeadm with external etcd, the
 * etcd-ca family is left out when the host has no etcd/ca.crt (Kubespray's host etcd keeps its
 * certificates under /etc/ssl/etcd/ssl). kubelet.conf is not listed: the kubelet rotates it.
 */
export function kubeadmCertLocations(host: HostFiles, d: Dirs): CertLocation[] {
  const withEtcd = host.has(posix.join(d.certDir, 'etcd/ca.crt'));
  const leaves: CertLocation[] = LEAF_SPECS.filter((l) => withEtcd || l.ca !== 'etcd-ca').map((l) => ({
    kind: 'pair', name: l.name, ca: l.ca, certPath: posix.join(d.certDir, `${l.file}.crt`), keyPath: posix.join(d.certDir, `${l.file}.key`),
  }));
  const confs: CertLocation[] = KUBECONFIG_SPECS.filter((k) => k.renewable).map((k) => ({ kind: 'kubeconfig', name: k.name, ca: 'ca', path: posix.join(d.kubeconfigDir, k.file) }));
  return [...leaves, ...confs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function kubeadmCaNames(host: HostFiles, d: Dirs): CaName[] {
  const withEtcd = host.has(posix.join(d.certDir, 'etcd/ca.crt'));
  return CA_SPECS.map((c) => c.name).filter((n) => withEtcd || n !== 'etcd-ca').sort();
}

export function caPaths(name: CaName, certDir: string): { certPath: string; keyPath: string } {
  const spec = CA_SPECS.find((c) => c.name === name);
  if (!spec) throw new Error(`unknown CA ${name}`);
  return { certPath: posix.join(certDir, `${spec.file}.crt`), keyPath: posix.join(certDir, `${spec.file}.key`) };
}

export function readLocation(host: HostFiles, loc: CertLocation): CertInfo | undefined {
  if (loc.kind === 'pair') return tryParseCert(host.get(loc.certPath)?.content);
  const text = host.get(loc.path)?.content;
  if (text === undefined) return undefined;
  try {
    return tryParseCert(parseKubeconfig(text).certPem);
  } catch {
    return undefined;
  }
}

/** kubeadm: a CA (and everything it signs) is externally managed when its key is absent. */
export function collectRows(host: HostFiles, d: Dirs): { certs: ExpiryRow[]; cas: ExpiryRow[] } {
  const external = (ca: CaName): boolean => !host.has(caPaths(ca, d.certDir).keyPath);
  const certs = kubeadmCertLocations(host, d).map((loc) => ({ name: loc.name, ca: loc.ca, notAfter: readLocation(host, loc)?.notAfter, external: external(loc.ca) }));
  const cas = kubeadmCaNames(host, d).map((name) => ({ name, notAfter: tryParseCert(host.get(caPaths(name, d.certDir).certPath)?.content)?.notAfter, external: external(name) }));
  return { certs, cas };
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no').padEnd(8);

/** kubeadm's two tables, byte for byte its tabwriter layout (see tabwriter.ts). */
export function renderTables(rows: { certs: readonly ExpiryRow[]; cas: readonly ExpiryRow[] }, now: Date): string {
  const lines = ['CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY\tEXTERNALLY MANAGED'];
  for (const r of rows.certs) {
    lines.push(r.notAfter
      ? `${r.name}\t${kubeadmDate(r.notAfter)}\t${shortHumanDuration(r.notAfter.getTime() - now.getTime())}\t${r.ca ?? ''}\t${yesNo(r.external)}`
      : `!MISSING! ${r.name}\t\t\t\t`);
  }
  lines.push('', 'CERTIFICATE AUTHORITY\tEXPIRES\tRESIDUAL TIME\tEXTERNALLY MANAGED');
  for (const r of rows.cas) {
    lines.push(r.notAfter
      ? `${r.name}\t${kubeadmDate(r.notAfter)}\t${shortHumanDuration(r.notAfter.getTime() - now.getTime())}\t${yesNo(r.external)}`
      : `!MISSING! ${r.name}\t\t\t`);
  }
  return `${tabwrite(lines.join('\n'))}\n`;
}
