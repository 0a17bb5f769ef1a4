import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { runPlaybook } from '../../../engine/api.js';
import { loadSettings } from '../../../engine/config/ansible-cfg.js';

const ROOT = join(import.meta.dirname, '../../..');
const PLAYBOOK = join(ROOT, 'test/fixtures/manifests/render.yml');

export interface ClusterSpec {
  /** host name → the `ip` the cluster uses for it */
  readonly controlPlanes: Readonly<Record<string, string>>;
  readonly nodes: Readonly<Record<string, string>>;
  /** group_vars/all of the inventory (what an operator sets) */
  readonly vars: Readonly<Record<string, unknown>>;
  /** called with the folder holding one root per host before the first run */
  readonly prepare?: (hostsDir: string) => void;
  /** extra inventory host variables (access_ip ...) */
  readonly hostVars?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly check?: boolean;
}

export interface Rendered {
  readonly code: number;
  readonly out: string;
  /** the folder holding one root per host */
  readonly hostsDir: string;
  /** the same playbook again on the same hosts (idempotence) */
  again(): Promise<{ code: number; out: string }>;
  /** a file a host wrote, by its path on the host (/etc/kubernetes/addons/...) */
  text(host: string, path: string): string;
  exists(host: string, path: string): boolean;
  /** every YAML document of a manifest file (comments and empty documents dropped) */
  docs(host: string, path: string): Record<string, unknown>[];
  cleanup(): void;
}

/**
 * Renders the shipped roles for an inventory with tsplay itself: every host is local and
 * writes below <tmp>/<host>/ instead of /, so the files are exactly what the template module
 * would place on a real host with the same variables.
 */
export async function renderCluster(spec: ClusterSpec): Promise<Rendered> {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-manifests-'));
  const extra = (h: string) => Object.entries(spec.hostVars?.[h] ?? {}).map(([k, v]) => ` ${k}=${v}`).join('');
  const line = (h: string, ip: string) => `${h} ansible_connection=local ip=${ip}${extra(h)}`;
  writeFileSync(join(dir, 'inventory.ini'), [
    '[kube_control_plane]', ...Object.entries(spec.controlPlanes).map(([h, ip]) => line(h, ip)),
    '[etcd:children]', 'kube_control_plane',
    '[kube_node]', ...Object.entries(spec.nodes).map(([h, ip]) => line(h, ip)),
    '[k8s_cluster:children]', 'kube_control_plane', 'kube_node', '',
  ].join('\n'));
  const host = `${dir}/hosts/{{ inventory_hostname }}`;
  mkdirSync(join(dir, 'group_vars', 'all'), { recursive: true });
  writeFileSync(join(dir, 'group_vars', 'all', 'render.yml'), stringify({
    kube_config_dir: `${host}/etc/kubernetes`, cni_conf_dir: `${host}/etc/cni/net.d`,
    nginx_config_dir: `${host}/etc/nginx`, bin_dir: `${host}/usr/local/bin`,
    local_release_dir: `${host}/tmp/releases`, tsplay_installed_dir: `${host}/var/lib/tsplay/installed`, ...spec.vars,
  }));
  mkdirSync(join(dir, 'hosts'));
  spec.prepare?.(join(dir, 'hosts'));
  const settings = loadSettings({}, dir);
  const run = async (): Promise<{ code: number; out: string }> => {
    let out = '';
    const code = await runPlaybook(
      { playbooks: [PLAYBOOK], inventories: [join(dir, 'inventory.ini')], tags: [], skipTags: [], extraVars: {}, check: spec.check ?? false, diff: false, verbosity: 0, mode: 'run', output: 'text', color: false },
      { write: (t) => { out += t; }, settings: { ...settings, rolesPath: [...settings.rolesPath, join(ROOT, 'roles')] }, cwd: dir },
    );
    return { code, out };
  };
  const { code, out } = await run();
  const at = (h: string, path: string) => join(dir, 'hosts', h, path);
  const text = (h: string, path: string) => readFileSync(at(h, path), 'utf8');
  return {
    code, out, text, hostsDir: join(dir, 'hosts'), again: run,
    exists: (h, path) => existsSync(at(h, path)),
    docs: (h, path) => parseAllDocuments(text(h, path)).map((d) => {
      if (d.errors.length > 0) throw new Error(`${path}: ${d.errors[0]!.message}`);
      return d.toJS() as Record<string, unknown> | null;
    }).filter((d): d is Record<string, unknown> => d !== null),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
