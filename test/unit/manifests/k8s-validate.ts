import { Ajv } from 'ajv';
import { APIService } from 'kubernetes-models/apiregistration.k8s.io/v1/APIService';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

/**
 * Validation of rendered manifests against the Kubernetes OpenAPI types (kubernetes-models:
 * types, required fields, enums, formats) plus unknown-field rejection, which those
 * validators do not do and the API server does (strict field validation).
 *
 * Unknown fields: the generated validators read every property their schema declares, and
 * enumerate the keys of maps (labels, data, resources...). Validating a proxy of the
 * manifest records which keys were read: a key never read is not in the schema.
 */
type Validate = (this: unknown) => void;
const MODELS: Record<string, { prototype: { validate: Validate } }> = {
  'v1/ConfigMap': ConfigMap, 'v1/Pod': Pod, 'v1/Service': Service, 'v1/ServiceAccount': ServiceAccount,
  'apps/v1/DaemonSet': DaemonSet, 'apps/v1/Deployment': Deployment,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': CustomResourceDefinition,
  'apiregistration.k8s.io/v1/APIService': APIService,
};

/**
 * Calico's IPPool (crd.projectcalico.org/v1) is no Kubernetes type: its schema here is the
 * IPPoolSpec of Calico's API (projectcalico.org/v3), strict like the models above.
 */
const IPPOOL_SCHEMA = {
  type: 'object', additionalProperties: false, required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'crd.projectcalico.org/v1' }, kind: { const: 'IPPool' },
    metadata: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' }, labels: { type: 'object' }, annotations: { type: 'object' } } },
    spec: {
      type: 'object', additionalProperties: false, required: ['cidr'],
      properties: {
        cidr: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+$' },
        blockSize: { type: 'integer', minimum: 20, maximum: 32 },
        ipipMode: { enum: ['Always', 'CrossSubnet', 'Never'] },
        vxlanMode: { enum: ['Always', 'CrossSubnet', 'Never'] },
        natOutgoing: { type: 'boolean' }, disabled: { type: 'boolean' }, disableBGPExport: { type: 'boolean' },
        nodeSelector: { type: 'string' }, allowedUses: { type: 'array', items: { enum: ['Workload', 'Tunnel', 'LoadBalancer'] } },
        assignmentMode: { enum: ['Automatic', 'Manual'] },
      },
    },
  },
} as const;
const ajv = new Ajv({ allErrors: true, strict: true });
const ipPool = ajv.compile(IPPOOL_SCHEMA);

/**
 * The JSONSchemaProps model of kubernetes-models leaves out the API's `x-kubernetes-*`
 * properties (its generator drops `x-` keys): they are checked here instead, inside a CRD's
 * openAPIV3Schema only, with their types from apiextensions/v1.
 */
const SCHEMA_EXTENSIONS: Record<string, 'boolean' | 'string' | 'array'> = {
  'x-kubernetes-preserve-unknown-fields': 'boolean', 'x-kubernetes-embedded-resource': 'boolean',
  'x-kubernetes-int-or-string': 'boolean', 'x-kubernetes-list-type': 'string', 'x-kubernetes-map-type': 'string',
  'x-kubernetes-list-map-keys': 'array', 'x-kubernetes-validations': 'array',
};

function extensionProblem(path: string, key: string, value: unknown): string | undefined {
  const want = SCHEMA_EXTENSIONS[key];
  if (!want || !path.includes('/openAPIV3Schema')) return `unknown field ${path}/${key}`;
  const ok = want === 'array' ? Array.isArray(value) : typeof value === want;
  return ok ? undefined : `${path}/${key} must be ${want}`;
}

interface Visit { readonly path: string; readonly value: object; readonly read: Set<string>; proxy?: object }

function tracked(value: unknown, path: string, seen: Map<object, Visit>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known) return known.proxy;
  const visit: Visit = { path, value, read: new Set() };
  visit.proxy = new Proxy(value, {
    get(target, key, receiver) {
      const v: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return v;
      visit.read.add(key);
      return tracked(v, `${path}/${key}`, seen);
    },
    ownKeys(target) {
      visit.read.add('*');
      return Reflect.ownKeys(target);
    },
  });
  seen.set(value, visit);
  return visit.proxy;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RBAC objects and APIServices are named by path segments (system:coredns, v1beta1.metrics.k8s.io). */
const PATH_SEGMENT_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);

function nameProblem(kind: string, name: unknown): string | undefined {
  const n = String(name ?? '');
  if (PATH_SEGMENT_KINDS.has(kind)) return n === '' || n === '.' || n === '..' || /[/%]/.test(n) ? `metadata.name '${n}' is not a valid path segment name` : undefined;
  if (kind === 'Service') return DNS_1035.test(n) && n.length <= 63 ? undefined : `metadata.name '${n}' is not a DNS-1035 label`;
  return DNS_SUBDOMAIN.test(n) && n.length <= 253 ? undefined : `metadata.name '${n}' is not a DNS-1123 subdomain`;
}

/**
 * What the API server's validation rejects beyond the OpenAPI types, for the objects shipped
 * here: object names, a workload selector that does not select its own pods, container
 * names, volume mounts of undeclared volumes, port names longer than 15 characters.
 */
function apiServerProblems(doc: Obj): string[] {
  const problems: string[] = [];
  const kind = String(doc.kind);
  const name = nameProblem(kind, (doc.metadata as Obj | undefined)?.name);
  if (name) problems.push(name);
  const spec = podSpec(doc);
  if (!spec) return problems;
  if (kind !== 'Pod') {
    const selector = (((doc.spec as Obj).selector as Obj | undefined)?.matchLabels ?? {}) as Record<string, string>;
    const labels = ((((doc.spec as Obj).template as Obj).metadata as Obj | undefined)?.labels ?? {}) as Record<string, string>;
    if (Object.keys(selector).length === 0 || Object.entries(selector).some(([k, v]) => labels[k] !== v)) problems.push('spec.selector does not match the template labels');
  }
  const volumes = new Set(((spec.volumes as Obj[] | undefined) ?? []).map((v) => String(v.name)));
  const containers = [...((spec.initContainers as Obj[] | undefined) ?? []), ...((spec.containers as Obj[] | undefined) ?? [])];
  const seen = new Set<string>();
  for (const c of containers) {
    const cname = String(c.name);
    if (!DNS_LABEL.test(cname) || seen.has(cname)) problems.push(`container name '${cname}' is not a unique DNS-1123 label`);
    seen.add(cname);
    for (const m of (c.volumeMounts as Obj[] | undefined) ?? []) if (!volumes.has(String(m.name))) problems.push(`container ${cname} mounts undeclared volume '${String(m.name)}'`);
    for (const p of (c.ports as Obj[] | undefined) ?? []) if (p.name !== undefined && String(p.name).length > 15) problems.push(`container ${cname} port name '${String(p.name)}' is longer than 15 characters`);
  }
  return problems;
}

/** Problems of one manifest document: schema errors and unknown fields (empty when valid). */
export function manifestProblems(doc: Record<string, unknown>): string[] {
  return [...typeProblems(doc), ...(doc.kind === 'IPPool' ? [] : apiServerProblems(doc))];
}

function typeProblems(doc: Record<string, unknown>): string[] {
  const id = `${String(doc.apiVersion)}/${String(doc.kind)}`;
  if (id === 'crd.projectcalico.org/v1/IPPool') {
    return ipPool(doc) ? [] : (ipPool.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`);
  }
  const model = MODELS[id];
  if (!model) return [`no schema for ${id}`];
  const seen = new Map<object, Visit>();
  const problems: string[] = [];
  try {
    model.prototype.validate.call(tracked(doc, '', seen));
  } catch (e) {
    problems.push((e as Error).message);
  }
  for (const v of seen.values()) {
    if (Array.isArray(v.value) || v.read.has('*')) continue;
    for (const [key, value] of Object.entries(v.value)) {
      if (v.read.has(key)) continue;
      const problem = extensionProblem(v.path, key, value);
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

type Obj = Record<string, unknown>;

/** The pod spec of a Pod, or of the template of a Deployment / DaemonSet (else undefined). */
export function podSpec(doc: Obj): Obj | undefined {
  if (doc.kind === 'Pod') return doc.spec as Obj;
  const template = (doc.spec as Obj | undefined)?.template as Obj | undefined;
  return template?.spec as Obj | undefined;
}

/** Every image a manifest document runs (init containers first). */
export function imagesOf(doc: Obj): string[] {
  const spec = podSpec(doc);
  if (!spec) return [];
  const all = [...((spec.initContainers as Obj[] | undefined) ?? []), ...((spec.containers as Obj[] | undefined) ?? [])];
  return all.map((c) => String(c.image));
}
