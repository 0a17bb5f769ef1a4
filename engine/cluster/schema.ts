import { createRequire } from 'node:module';
import type { Ajv as AjvType } from 'ajv';
import type { Problem } from './problems.js';
import { problem } from './problems.js';

/**
 * What tsplay's roles deploy. Kubespray also knows container_manager crio/docker and
 * etcd_deployment_type docker; tsplay ships no roles for them yet, so it refuses them up
 * front instead of leaving a node without a runtime. Network plugins: flannel and calico are
 * deployed; `cni` and `none` (Kubespray's names) deploy none, for operators who bring their
 * own; Kubespray's cilium, kube-ovn, kube-router, macvlan, custom_cni and cloud are refused
 * rather than leaving the cluster without pod networking.
 */
export const CONTAINER_MANAGERS = ['containerd'] as const;
export const NETWORK_PLUGINS = ['flannel', 'calico', 'cni', 'none'] as const;
export const ETCD_DEPLOYMENT_TYPES = ['host', 'kubeadm'] as const;

const VERSION = '^v\\d+\\.\\d+\\.\\d+$';
const INT = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^-?\\d+$' }] };

/** The merged settings as the roles will see them (templated), one JSON schema. */
export const SETTINGS_SCHEMA = {
  type: 'object',
  required: ['kube_version', 'container_manager', 'kube_network_plugin', 'etcd_deployment_type', 'kube_service_addresses', 'kube_pods_subnet'],
  properties: {
    kube_version: { type: 'string', pattern: VERSION },
    kube_version_min_required: { type: 'string', pattern: VERSION },
    kube_version_max_supported: { type: 'string', pattern: VERSION },
    container_manager: { enum: CONTAINER_MANAGERS },
    kube_network_plugin: { enum: NETWORK_PLUGINS },
    etcd_deployment_type: { enum: ETCD_DEPLOYMENT_TYPES },
    kube_service_addresses: { type: 'string' },
    kube_pods_subnet: { type: 'string' },
    kube_network_node_prefix: INT,
    // an http(s) URL without a trailing slash: `files_repo ~ '/github.com'` must stay a URL
    files_repo: { type: 'string', pattern: '^(|https?://[^\\s/?#]+(/[^\\s?#]*[^\\s?#/])?)$' },
    // host[:port] only (no scheme, no path): it is prefixed to image names
    registry_host: { type: 'string', pattern: '^(|[A-Za-z0-9.-]+(:\\d{1,5})?)$' },
    etcd_backup_retention_count: INT,
  },
} as const;

const HINTS: Record<string, string> = {
  kube_version: 'write it like v1.33.3',
  files_repo: 'an http(s) URL without a trailing slash, e.g. http://mirror.example:8080/files',
  registry_host: 'host[:port] only, e.g. mirror.example:5000 (no https://, no path)',
  container_manager: 'tsplay deploys containerd (crio and docker are not shipped yet)',
  kube_network_plugin: 'flannel or calico; cni or none to deploy your own (cilium, kube-ovn, kube-router, macvlan, custom_cni and cloud are not shipped)',
  etcd_deployment_type: `one of ${ETCD_DEPLOYMENT_TYPES.join(', ')} (docker is not shipped)`,
};

const requireCjs = createRequire(import.meta.url);

export function schemaProblems(settings: Readonly<Record<string, unknown>>): Problem[] {
  // ajv is loaded here, by cluster_validate, not at every start
  const { Ajv } = requireCjs('ajv') as { Ajv: new (o: object) => AjvType };
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(SETTINGS_SCHEMA);
  if (validate(settings)) return [];
  return (validate.errors ?? []).map((e) => {
    const key = e.instancePath.split('/')[1] ?? (e.params as { missingProperty?: string }).missingProperty ?? '';
    const value = settings[key];
    const what = e.keyword === 'required' ? 'is not set' : `has the value ${JSON.stringify(value)}, which ${e.keyword === 'enum' ? 'is not supported' : 'is malformed'}`;
    return problem(key, what, HINTS[key]);
  });
}
