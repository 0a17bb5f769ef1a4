import { quote } from '../transport/shell.js';
import type { BecomeSpec, Connection } from '../types/connection.js';
import { collectRows, kubeadmCertLocations, renderTables, type Dirs } from './expiration.js';
import type { FileWrite } from './plan-types.js';
import { readRemoteFiles, writeRemoteFiles } from './remote.js';
import { renewLocation } from './renew.js';
import { CA_SPECS, DAY_MS, DEFAULT_CERT_DIR, DEFAULT_CERT_VALIDITY_DAYS, DEFAULT_KUBECONFIG_DIR } from './spec.js';
import { kubeadmDate } from './tabwriter.js';

/**
 * `tsplay certs check-expiration` and `tsplay certs renew`: kubeadm's commands, run from the
 * controller against every control plane over its Connection (one read per host).
 */

export interface CertsTarget {
  readonly host: string;
  readonly conn: Connection;
}

export interface CertsOptions {
  readonly certDir?: string;
  readonly kubeconfigDir?: string;
  readonly warnDays?: number;
  readonly now?: Date;
  readonly become?: BecomeSpec;
}

export interface RenewOptions extends CertsOptions {
  readonly certValidityDays?: number;
  /** Static pod manifests touched after renewal (default /etc/kubernetes/manifests). */
  readonly manifestsDir?: string;
  /** Restart a host-deployed etcd service when one exists (default true). */
  readonly restartEtcd?: boolean;
}

export interface CommandOutput {
  readonly text: string;
  readonly exitCode: number;
}

const dirsOf = (o: CertsOptions): Dirs => ({ certDir: o.certDir ?? DEFAULT_CERT_DIR, kubeconfigDir: o.kubeconfigDir ?? DEFAULT_KUBECONFIG_DIR });
const readRoots = (d: Dirs) => [{ dir: d.certDir, depth: 2 }, { dir: d.kubeconfigDir, depth: 1 }];

/** Prints kubeadm's two tables per host; warns below warnDays (30); exit 1 when anything expired or a host was unreadable. */
export async function checkExpiration(targets: readonly CertsTarget[], opts: CertsOptions = {}): Promise<CommandOutput> {
  const now = opts.now ?? new Date();
  const warnMs = (opts.warnDays ?? 30) * DAY_MS;
  const d = dirsOf(opts);
  const parts = await Promise.all(targets.map(async (t) => {
    try {
      const rows = collectRows(await readRemoteFiles(t.conn, readRoots(d), opts.become), d);
      const notes: string[] = [];
      let expired = false;
      for (const r of [...rows.certs, ...rows.cas]) {
        if (!r.notAfter) continue;
        const left = r.notAfter.getTime() - now.getTime();
        if (left <= 0) {
          expired = true;
          notes.push(`[check-expiration] ERROR: ${t.host}: ${r.name} expired on ${kubeadmDate(r.notAfter)}`);
        } else if (left < warnMs) {
          notes.push(`[check-expiration] WARNING: ${t.host}: ${r.name} expires in ${Math.floor(left / DAY_MS)}d (${kubeadmDate(r.notAfter)})`);
        }
      }
      const text = `[check-expiration] ${t.host}\n\n${renderTables(rows, now)}${notes.map((n) => `${n}\n`).join('')}`;
      return { text, failed: expired };
    } catch (e) {
      return { text: `[check-expiration] ${t.host}: cannot read certificates: ${(e as Error).message}\n`, failed: true };
    }
  }));
  return { text: parts.map((p) => p.text).join('\n'), exitCode: parts.some((p) => p.failed) ? 1 : 0 };
}

/** The names `certs renew` accepts: kubeadm's leaves and kubeconfigs (never a CA). */
export function renewableNames(): string[] {
  return kubeadmCertLocations(new Map([['/x/etcd/ca.crt', { content: '', mode: 0o644 }]]), { certDir: '/x', kubeconfigDir: '/y' }).map((l) => l.name);
}

/**
 * Renews `which` ('all' or one kubeadm name) on every target, keeping subjects and SANs, never a
 * CA; then touches the static pod manifests so the kubelet restarts them and restarts a
 * host-deployed etcd (systemd unit) when present.
 */
export async function renewCerts(targets: readonly CertsTarget[], which: 'all' | string, opts: RenewOptions = {}): Promise<CommandOutput> {
  if (CA_SPECS.some((c) => c.name === which)) return { text: `${which} is a CA: certificate authorities are never renewed (like kubeadm certs renew)\n`, exitCode: 1 };
  if (which !== 'all' && !renewableNames().includes(which)) {
    return { text: `unknown certificate ${JSON.stringify(which)}; valid: all, ${renewableNames().join(', ')}\n`, exitCode: 1 };
  }
  const parts = await Promise.all(targets.map((t) => renewHost(t, which, opts).catch((e: Error) => ({ text: `[renew] ${t.host}: ${e.message}\n`, failed: true }))));
  return { text: parts.map((p) => p.text).join('\n'), exitCode: parts.some((p) => p.failed) ? 1 : 0 };
}

async function renewHost(t: CertsTarget, which: string, opts: RenewOptions): Promise<{ text: string; failed: boolean }> {
  const d = dirsOf(opts);
  const now = opts.now ?? new Date();
  const host = await readRemoteFiles(t.conn, readRoots(d), opts.become);
  const locs = kubeadmCertLocations(host, d).filter((l) => which === 'all' || l.name === which);
  const outcomes = await Promise.all(locs.map((l) => renewLocation(host, l, d, opts.certValidityDays ?? DEFAULT_CERT_VALIDITY_DAYS, now)));
  const lines: string[] = [];
  const writes: FileWrite[] = [];
  for (const o of outcomes) {
    switch (o.kind) {
      case 'renewed': lines.push(`${o.name} renewed`); writes.push(...o.writes); break;
      case 'missing': lines.push(`MISSING! ${o.name}`); break;
      case 'external': lines.push(`Detected external ${o.ca}, ${o.name} can't be renewed`); break;
    }
  }
  await writeRemoteFiles(t.conn, writes, [], opts.become);
  if (writes.length > 0) lines.push(...(await restartConsumers(t.conn, opts)));
  return { text: `[renew] ${t.host}\n${lines.map((l) => `${l}\n`).join('')}`, failed: false };
}

/** The kubelet restarts a static pod when its manifest changes on disk; etcd as a systemd unit needs a restart. */
async function restartConsumers(conn: Connection, opts: RenewOptions): Promise<string[]> {
  const dir = opts.manifestsDir ?? '/etc/kubernetes/manifests';
  const touch = `for m in kube-apiserver kube-controller-manager kube-scheduler etcd; do f=${quote(dir)}/$m.yaml; if [ -f "$f" ]; then touch "$f" && echo "touched $f"; fi; done`;
  const etcd = opts.restartEtcd === false ? '' :
    '; if command -v systemctl >/dev/null 2>&1 && systemctl cat etcd.service >/dev/null 2>&1; then systemctl restart etcd.service && echo "restarted etcd.service"; fi';
  const res = await conn.exec({ command: touch + etcd, become: opts.become });
  if (res.rc !== 0) throw new Error(`restarting components failed (rc=${res.rc}): ${res.stderr.trim()}`);
  return res.stdout.split('\n').filter((l) => l !== '');
}
