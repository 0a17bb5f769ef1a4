import { isIP } from 'node:net';
import { parse } from 'yaml';

/**
 * kubeconfig files as kubeadm writes them: certificates embedded as base64 *-data fields,
 * keys in the order Go's YAML marshaller emits them (alphabetical), one cluster/context/user.
 */

export interface KubeconfigInput {
  readonly clusterName: string;
  readonly server: string;
  readonly caPem: string;
  readonly userName: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export function renderKubeconfig(k: KubeconfigInput): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const context = `${k.userName}@${k.clusterName}`;
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b64(k.caPem)}`,
    `    server: ${k.server}`,
    `  name: ${k.clusterName}`,
    'contexts:',
    '- context:',
    `    cluster: ${k.clusterName}`,
    `    user: ${k.userName}`,
    `  name: ${context}`,
    `current-context: ${context}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${k.userName}`,
    '  user:',
    `    client-certificate-data: ${b64(k.certPem)}`,
    `    client-key-data: ${b64(k.keyPem)}`,
    '',
  ].join('\n');
}

export interface ParsedKubeconfig {
  readonly clusterName: string;
  readonly server: string;
  readonly userName: string;
  readonly caPem?: string;
  readonly certPem?: string;
  readonly keyPem?: string;
}

interface RawKubeconfig {
  clusters?: { name?: string; cluster?: Record<string, string> }[];
  users?: { name?: string; user?: Record<string, string> }[];
}

/** Reads the first cluster and user; certificate paths (kubelet after rotation) leave certPem undefined. */
export function parseKubeconfig(text: string): ParsedKubeconfig {
  const raw = parse(text) as RawKubeconfig | null;
  const cluster = raw?.clusters?.[0];
  const user = raw?.users?.[0];
  const unb64 = (s: string | undefined): string | undefined => (s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8'));
  return {
    clusterName: cluster?.name ?? '',
    server: cluster?.cluster?.server ?? '',
    userName: user?.name ?? '',
    caPem: unb64(cluster?.cluster?.['certificate-authority-data']),
    certPem: unb64(user?.user?.['client-certificate-data']),
    keyPem: unb64(user?.user?.['client-key-data']),
  };
}

/** https://HOST:PORT; an endpoint that already names a port keeps it. IPv6 hosts get brackets. */
export function serverUrl(endpoint: string, defaultPort: number): string {
  if (/^\[.*\](:\d+)?$/.test(endpoint)) return `https://${/:\d+$/.test(endpoint.replace(/^\[.*\]/, '')) ? endpoint : `${endpoint}:${defaultPort}`}`;
  if (isIP(endpoint) === 6) return `https://[${endpoint}]:${defaultPort}`;
  return /:\d+$/.test(endpoint) ? `https://${endpoint}` : `https://${endpoint}:${defaultPort}`;
}
