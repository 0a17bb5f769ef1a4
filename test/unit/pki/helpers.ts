import { gateOf } from '../modules/context.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kube_pki } from '../../../engine/modules/kube_pki.js';
import { LocalConnection } from '../../../engine/transport/local.js';
import type { Connection, ExecRequest } from '../../../engine/types/connection.js';
import type { ModuleContext, ModuleResult } from '../../../engine/types/module.js';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A LocalConnection that counts exec calls, to pin "one remote read". */
export class CountingConnection extends LocalConnection {
  execs: string[] = [];
  override exec(req: ExecRequest) {
    this.execs.push(req.command);
    return super.exec(req);
  }
}

export function runKubePki(args: Record<string, unknown>, opts: { check?: boolean; conn?: Connection; host?: string } = {}): Promise<ModuleResult> {
  const host = opts.host ?? 'cp1';
  const conn = opts.conn ?? new LocalConnection(host);
  const ctx: ModuleContext = {
    host, args, loc: { file: 'test.yml', line: 1, col: 1 },
    ...gateOf(conn, opts.check ?? false),
    findFile: () => { throw new Error('no files'); },
    // kube_pki renders nothing: any use of templating here is a bug the test should see
    templating: { renderFile: (t) => t, evaluate: () => { throw new Error('unexpected evaluate'); }, conditional: () => { throw new Error('unexpected conditional'); } },
    vars: {},
    log: () => undefined,
  };
  return kube_pki.run(ctx);
}

/** Paths for one simulated host rooted in a temp dir. */
export function hostDirs(root: string) {
  return {
    cert_dir: join(root, 'etc/kubernetes/pki'),
    kubeconfig_dir: join(root, 'etc/kubernetes'),
    etcd_cert_dir: join(root, 'etc/ssl/etcd/ssl'),
  };
}

export function openssl(args: string[], input?: string): string {
  return execFileSync('/usr/bin/openssl', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Writes a full stacked kubeadm tree for cp1 as if generated at `now` (fixed clock for fixtures). */
export async function writeTreeAt(root: string, now: Date): Promise<{ certDir: string; kubeconfigDir: string }> {
  const { generateShared, materialize } = await import('../../../engine/pki/issue.js');
  const { planNode } = await import('../../../engine/pki/plan.js');
  const { writeRemoteFiles } = await import('../../../engine/pki/remote.js');
  const d = hostDirs(root);
  const cluster = {
    clusterName: 'kubernetes', dnsDomain: 'cluster.local', serviceSubnet: '10.96.0.0/12', controlPlaneEndpoint: 'cp1.example:6443',
    apiserverPort: 6443, controlPlanes: [{ name: 'cp1', ip: '10.88.0.11' }], etcdMembers: [{ name: 'cp1', ip: '10.88.0.11' }],
    certSans: [], etcdCertAltNames: [], etcdMode: 'stacked' as const, caValidityDays: 3650, certValidityDays: 365,
    certDir: d.cert_dir, kubeconfigDir: d.kubeconfig_dir, etcdCertDir: d.etcd_cert_dir,
  };
  const shared = await generateShared(cluster, now);
  const plan = planNode({ node: { name: 'cp1', ip: '10.88.0.11' }, controlPlane: true, etcdMember: true }, cluster, new Map(), shared, now);
  await writeRemoteFiles(new LocalConnection('cp1'), await materialize(plan, cluster, now), []);
  return { certDir: d.cert_dir, kubeconfigDir: d.kubeconfig_dir };
}
