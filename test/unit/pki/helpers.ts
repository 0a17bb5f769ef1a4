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
    host, args, loc: { file: 'test.yml', line: 1, col: 1 }, check: opts.check ?? false, diff: false, env: {},
    connection: async () => conn,
    findFile: () => { throw new Error('no files'); },
    templating: { renderFile: (t) => t },
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
