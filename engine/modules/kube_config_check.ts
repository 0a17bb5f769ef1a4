import { formatProblems, KubeConfigChecker } from '../cluster/schemas/index.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types/module.js';

/**
 * kube_config_check: validates a rendered kubeadm / kubelet / kube-proxy configuration (one or
 * more YAML documents) against strict schemas of its API version, on the controller, before
 * the role writes it on a host: an unknown or misspelt field fails the task here, with its
 * path, instead of kubeadm's strict decoding failing mid-init on the host. The messages name
 * fields, never values (the text may hold the bootstrap token and the certificate key).
 */
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['content'],
  properties: { content: { type: 'string' } },
} as const;

function run(ctx: ModuleContext): Promise<ModuleResult> {
  const problems = new KubeConfigChecker().checkText(String(ctx.args.content));
  if (problems.length === 0) return Promise.resolve({ changed: false, msg: 'configuration is valid for its API versions' });
  return Promise.resolve({ changed: false, failed: true, msg: `the rendered configuration would be rejected:\n${formatProblems(problems)}` });
}

export const kube_config_check: ModuleDef = {
  name: 'kube_config_check',
  schema: SCHEMA,
  controllerOnly: true,
  supportsCheck: true,
  run,
};
