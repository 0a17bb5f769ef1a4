/**
 * A small vocabulary for strict JSON schemas of Kubernetes component configurations: every
 * object rejects unknown fields (additionalProperties: false), as kubeadm, the kubelet and
 * kube-proxy decode their files strictly. Field names and types are those of the Go types
 * (json tags); see each schema file for the type it follows.
 */
export type Schema = Readonly<Record<string, unknown>>;

export const str: Schema = { type: 'string' };
export const int: Schema = { type: 'integer' };
export const num: Schema = { type: 'number' };
export const bool: Schema = { type: 'boolean' };
/** metav1.Duration: Go's time.ParseDuration syntax ("5m0s", "300s", "24h0m0s"). */
export const dur: Schema = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$|^0$' };
/** Any object (component-base types we never render, e.g. logging, tracing). */
export const anyObject: Schema = { type: 'object' };

export const arr = (items: Schema): Schema => ({ type: 'array', items });
export const map = (values: Schema): Schema => ({ type: 'object', additionalProperties: values });
export const oneOf = (...values: readonly string[]): Schema => ({ type: 'string', enum: values });

/** A Go struct: only these fields, the required ones (json tag without omitempty that kubeadm validates) present. */
export function obj(properties: Readonly<Record<string, Schema>>, required: readonly string[] = []): Schema {
  return { type: 'object', additionalProperties: false, properties, ...(required.length > 0 ? { required } : {}) };
}

/** metav1.TypeMeta inlined: apiVersion and kind fixed for the document. */
export function kind(apiVersion: string, name: string, properties: Readonly<Record<string, Schema>>, required: readonly string[] = []): Schema {
  return obj({ apiVersion: { const: apiVersion }, kind: { const: name }, ...properties }, ['apiVersion', 'kind', ...required]);
}

/** corev1.Taint. */
export const taint: Schema = obj({ key: str, value: str, effect: oneOf('NoSchedule', 'PreferNoSchedule', 'NoExecute'), timeAdded: str }, ['key', 'effect']);
