import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabState } from '../../../engine/lab/index.js';
import { parseCalls, STANDIN_LOG, type StandinCall } from '../../fixtures/k8s-standins/standins.js';
import { ssh } from '../cluster/cluster-helpers.js';

export interface Layout {
  readonly hosts: readonly string[];
  readonly controlPlanes: readonly string[];
  readonly etcd: readonly string[];
  readonly workers: readonly string[];
}

/**
 * An inventory beside the lab's group_vars (so credentials/ lands in the lab's state folder):
 * only the listed hosts, in Kubespray's groups.
 */
export function writeInventory(state: LabState, name: string, layout: Layout): string {
  const lab = readFileSync(state.inventory, 'utf8');
  const hostLines = lab.split('\n').filter((l) => layout.hosts.some((h) => l.startsWith(`${h} `)));
  const vars = lab.slice(lab.indexOf('[all:vars]'), lab.indexOf('\n\n', lab.indexOf('[all:vars]')));
  const group = (g: string, members: readonly string[]): string => `[${g}]\n${members.join('\n')}\n`;
  const text = ['[all]', ...hostLines, '', vars, '', group('kube_control_plane', layout.controlPlanes), group('etcd', layout.etcd),
    group('kube_node', layout.workers), '[k8s_cluster:children]\nkube_control_plane\nkube_node\n'].join('\n');
  const path = join(state.stateDir, name);
  writeFileSync(path, text);
  return path;
}

export function ipOf(state: LabState, host: string): string {
  return state.hosts.find((h) => h.name === host)!.ip;
}

/** The stand-ins' calls on one host (empty when none ran there yet). */
export function calls(state: LabState, host: string): StandinCall[] {
  return parseCalls(ssh(state, ipOf(state, host), `cat ${STANDIN_LOG} 2>/dev/null; true`).out);
}

export function kubeadmCalls(state: LabState, host: string, verb: string): StandinCall[] {
  return calls(state, host).filter((c) => c.tool === 'kubeadm' && c.argv[0] === verb);
}

/** kubeadm's CA pin computed by real openssl on the host: sha256 of the DER SubjectPublicKeyInfo. */
export function opensslCaHash(state: LabState, host: string): string {
  const r = ssh(state, ipOf(state, host), 'openssl x509 -pubkey -noout -in /etc/kubernetes/pki/ca.crt | openssl pkey -pubin -outform der | sha256sum');
  return `sha256:${r.out.trim().split(/\s+/)[0]}`;
}

/** A value of the rendered YAML (first match of `key: value`), quotes removed. */
export function yamlValue(text: string, key: string): string | undefined {
  const m = new RegExp(`^\\s*-?\\s*${key}:\\s*"?([^"\\n]*)"?\\s*$`, 'm').exec(text);
  return m?.[1];
}

export function credentials(state: LabState): { token: string; certificateKey: string; modes: string[] } {
  const dir = join(state.stateDir, 'credentials');
  const files = ['kubeadm_token_id.creds', 'kubeadm_token_secret.creds', 'kubeadm_certificate_key.creds'];
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8').trim();
  return {
    token: `${read(files[0]!)}.${read(files[1]!)}`,
    certificateKey: read(files[2]!),
    modes: [dir, ...files.map((f) => join(dir, f))].map((p) => (statSync(p).mode & 0o777).toString(8)),
  };
}

/** "TASK name: host" for every changed result of a run's text output (the assertion message of changed=0 checks). */
export function changedTasks(out: string): string {
  const lines: string[] = [];
  let task = '';
  for (const line of out.split('\n')) {
    const t = /^TASK \[(.*)\]/.exec(line);
    if (t) task = t[1]!;
    const c = /^changed: \[([^\]]+)\]/.exec(line);
    if (c) lines.push(`${task}: ${c[1]}`);
  }
  return lines.join('\n');
}

/** The --profile block after the recap (slowest tasks), for the suite's log. */
export function profileOf(out: string): string {
  const i = out.indexOf('PLAY RECAP');
  return i < 0 ? '' : out.slice(i).split('\n').slice(0, 40).join('\n');
}
