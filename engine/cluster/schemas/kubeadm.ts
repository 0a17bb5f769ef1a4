import { arr, bool, dur, int, kind, map, obj, oneOf, str, taint, type Schema } from './dsl.js';

/**
 * kubeadm's configuration API, from cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go and
 * v1beta3/types.go (and bootstraptoken/v1 for BootstrapToken). v1beta4 (Kubernetes 1.31+)
 * turned every extraArgs / kubeletExtraArgs map into a list of {name, value}, added
 * extraEnvs, timeouts, dryRun, dns/proxy.disabled, encryptionAlgorithm and the validity periods,
 * and moved apiServer.timeoutForControlPlane and discovery.timeout into timeouts.
 */
type Version = 'v1beta3' | 'v1beta4';

const arg: Schema = obj({ name: str, value: str }, ['name', 'value']);
const envVar: Schema = obj({ name: str, value: str, valueFrom: { type: 'object' } }, ['name']);
const hostPathMount: Schema = obj({ name: str, hostPath: str, mountPath: str, readOnly: bool, pathType: str }, ['name', 'hostPath', 'mountPath']);
const apiEndpoint: Schema = obj({ advertiseAddress: str, bindPort: int });
const patches: Schema = obj({ directory: str });
const certificateKey: Schema = { type: 'string', pattern: '^[0-9a-fA-F]{64}$' };
const bootstrapToken: Schema = obj({
  token: { type: 'string', pattern: '^[a-z0-9]{6}\\.[a-z0-9]{16}$' }, description: str, ttl: dur, expires: str, usages: arr(str), groups: arr(str),
}, ['token']);
const timeouts: Schema = obj({
  controlPlaneComponentHealthCheck: dur, kubeletHealthCheck: dur, kubernetesAPICall: dur, etcdAPICall: dur,
  tlsBootstrap: dur, discovery: dur, upgradeManifests: dur,
});
const imageMeta = { imageRepository: str, imageTag: str };

function extraArgs(v: Version): Schema {
  return v === 'v1beta4' ? arr(arg) : map(str);
}

function nodeRegistration(v: Version): Schema {
  return obj({
    name: str, criSocket: str, taints: arr(taint), kubeletExtraArgs: extraArgs(v), ignorePreflightErrors: arr(str),
    imagePullPolicy: oneOf('Always', 'IfNotPresent', 'Never'),
    ...(v === 'v1beta4' ? { imagePullSerial: bool } : {}),
  });
}

function component(v: Version, extra: Readonly<Record<string, Schema>> = {}): Schema {
  return obj({ extraArgs: extraArgs(v), extraVolumes: arr(hostPathMount), ...(v === 'v1beta4' ? { extraEnvs: arr(envVar) } : {}), ...extra });
}

function etcd(v: Version): Schema {
  const local = obj({
    ...imageMeta, dataDir: str, extraArgs: extraArgs(v), ...(v === 'v1beta4' ? { extraEnvs: arr(envVar) } : {}), serverCertSANs: arr(str), peerCertSANs: arr(str),
  }, ['dataDir']);
  const external = obj({ endpoints: arr(str), caFile: str, certFile: str, keyFile: str }, ['endpoints', 'caFile', 'certFile', 'keyFile']);
  return obj({ local, external });
}

function initConfiguration(v: Version): Schema {
  return kind(`kubeadm.k8s.io/${v}`, 'InitConfiguration', {
    bootstrapTokens: arr(bootstrapToken), nodeRegistration: nodeRegistration(v), localAPIEndpoint: apiEndpoint,
    certificateKey, skipPhases: arr(str), patches,
    ...(v === 'v1beta4' ? { dryRun: bool, timeouts } : {}),
  });
}

function clusterConfiguration(v: Version): Schema {
  const v4 = v === 'v1beta4';
  return kind(`kubeadm.k8s.io/${v}`, 'ClusterConfiguration', {
    etcd: etcd(v),
    networking: obj({ serviceSubnet: str, podSubnet: str, dnsDomain: str }),
    kubernetesVersion: str, controlPlaneEndpoint: str,
    apiServer: component(v, { certSANs: arr(str), ...(v4 ? {} : { timeoutForControlPlane: dur }) }),
    controllerManager: component(v), scheduler: component(v),
    dns: obj({ ...imageMeta, ...(v4 ? { disabled: bool } : {}) }),
    certificatesDir: str, imageRepository: str, featureGates: map(bool), clusterName: str,
    ...(v4 ? {
      proxy: obj({ disabled: bool }),
      encryptionAlgorithm: oneOf('RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256', 'ECDSA-P384'),
      certificateValidityPeriod: dur, caCertificateValidityPeriod: dur,
    } : {}),
  });
}

function joinConfiguration(v: Version): Schema {
  const v4 = v === 'v1beta4';
  const bootstrapTokenDiscovery = obj({
    token: { type: 'string', pattern: '^[a-z0-9]{6}\\.[a-z0-9]{16}$' }, apiServerEndpoint: str,
    caCertHashes: arr({ type: 'string', pattern: '^sha256:[0-9a-f]{64}$' }), unsafeSkipCAVerification: bool,
  }, ['token']);
  const discovery = obj({
    bootstrapToken: bootstrapTokenDiscovery, file: obj({ kubeConfigPath: str }, ['kubeConfigPath']), tlsBootstrapToken: str,
    ...(v4 ? {} : { timeout: dur }),
  });
  return kind(`kubeadm.k8s.io/${v}`, 'JoinConfiguration', {
    nodeRegistration: nodeRegistration(v), caCertPath: str, discovery,
    controlPlane: obj({ localAPIEndpoint: apiEndpoint, certificateKey }), skipPhases: arr(str), patches,
    ...(v4 ? { dryRun: bool, timeouts } : {}),
  }, ['discovery']);
}

export const KUBEADM_SCHEMAS: readonly Schema[] = (['v1beta3', 'v1beta4'] as const).flatMap((v) => [initConfiguration(v), clusterConfiguration(v), joinConfiguration(v)]);
