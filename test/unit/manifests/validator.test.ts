import { describe, expect, it } from 'vitest';
import { manifestProblems } from './k8s-validate.js';

/** The validator the manifest tests rely on rejects what the API server would reject. */
const deployment = (container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas: 2, selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'mirror:5000/web:1', resources: { limits: { memory: '64Mi' } }, ...container }] } },
    ...spec,
  },
});
const crd = (schema: Record<string, unknown>) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.org' },
  spec: { group: 'example.org', scope: 'Cluster', names: { kind: 'Thing', plural: 'things' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
});
const pool = (spec: Record<string, unknown>) => ({ apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', ...spec } });

describe('manifest validation (kubernetes-models + unknown fields)', () => {
  it('accepts a valid Deployment, maps (labels, resources) included', () => {
    expect(manifestProblems(deployment())).toEqual([]);
  });

  it.each([
    ['an unknown container field', deployment({ imagePullPolicyy: 'Always' }), ['unknown field /spec/template/spec/containers/0/imagePullPolicyy']],
    ['a field at the wrong level', deployment({}, { hostNetwork: true }), ['unknown field /spec/hostNetwork']],
    ['an unknown top-level field', { ...deployment(), status2: {} }, ['unknown field /status2']],
  ])('rejects %s', (_what, doc, problems) => {
    expect(manifestProblems(doc)).toEqual(problems);
  });

  it('rejects wrong types, missing required fields and values outside an enum', () => {
    expect(manifestProblems(deployment({}, { replicas: 'two' })).join('\n')).toContain('data/spec/replicas must be integer');
    expect(manifestProblems(deployment({ imagePullPolicy: 'Sometimes' })).join('\n')).toContain('imagePullPolicy must be equal to one of the allowed values');
    const noSelector = deployment();
    delete (noSelector.spec as Record<string, unknown>).selector;
    expect(manifestProblems(noSelector).join('\n')).toContain('data/spec must have required property selector');
  });

  it('rejects what the API server validates beyond the types: names, selectors, mounts, port names', () => {
    expect(manifestProblems(deployment({}, { selector: { matchLabels: { app: 'other' } } }))).toEqual(['spec.selector does not match the template labels']);
    expect(manifestProblems(deployment({ volumeMounts: [{ name: 'cfg', mountPath: '/etc/x' }] }))).toEqual(["container web mounts undeclared volume 'cfg'"]);
    expect(manifestProblems(deployment({ name: 'Web' }))).toEqual(["container name 'Web' is not a unique DNS-1123 label"]);
    expect(manifestProblems(deployment({ ports: [{ name: 'metrics-https-port', containerPort: 443 }] }))).toEqual(["container web port name 'metrics-https-port' is longer than 15 characters"]);
    const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 53 }] } });
    expect(manifestProblems(svc('coredns'))).toEqual([]);
    expect(manifestProblems(svc('1dns'))).toEqual(["metadata.name '1dns' is not a DNS-1035 label"]);
    const role = (name: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: [] });
    expect(manifestProblems(role('system:coredns'))).toEqual([]);
    expect(manifestProblems(role('a/b'))).toEqual(["metadata.name 'a/b' is not a valid path segment name"]);
  });

  it('rejects a kind it has no schema for rather than passing it', () => {
    expect(manifestProblems({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })).toEqual(['no schema for apps/v1/Deploymnet']);
  });

  it("checks a CRD schema's x-kubernetes-* extensions, which the models leave out", () => {
    expect(manifestProblems(crd({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }))).toEqual([]);
    expect(manifestProblems(crd({ type: 'object', 'x-kubernetes-preserve-unknown-fields': 'yes' }))).toEqual(['/spec/versions/0/schema/openAPIV3Schema/x-kubernetes-preserve-unknown-fields must be boolean']);
    expect(manifestProblems(crd({ type: 'object', 'x-kubernetes-whatever': true }))).toEqual(['unknown field /spec/versions/0/schema/openAPIV3Schema/x-kubernetes-whatever']);
  });

  it("validates calico's IPPool strictly", () => {
    expect(manifestProblems(pool({ blockSize: 26, vxlanMode: 'Always', ipipMode: 'Never', natOutgoing: true, nodeSelector: 'all()' }))).toEqual([]);
    expect(manifestProblems(pool({ vxlan: 'Always' }))).toEqual(['/spec must NOT have additional properties: vxlan']);
    expect(manifestProblems(pool({ vxlanMode: 'always' })).join('\n')).toContain('/spec/vxlanMode must be equal to one of the allowed values');
  });
});
