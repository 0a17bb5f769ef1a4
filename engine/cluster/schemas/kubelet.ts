import { anyObject, arr, bool, dur, int, kind, map, num, obj, oneOf, str, taint, type Schema } from './dsl.js';

/** KubeletConfiguration, from staging/src/k8s.io/kubelet/config/v1beta1/types.go (every field of the struct). */
const authentication: Schema = obj({
  x509: obj({ clientCAFile: str }), webhook: obj({ enabled: bool, cacheTTL: dur }), anonymous: obj({ enabled: bool }),
});
const authorization: Schema = obj({
  mode: oneOf('AlwaysAllow', 'Webhook'), webhook: obj({ cacheAuthorizedTTL: dur, cacheUnauthorizedTTL: dur }),
});

const FIELDS: Readonly<Record<string, Schema>> = {
  enableServer: bool, staticPodPath: str, podLogsDir: str, syncFrequency: dur, fileCheckFrequency: dur, httpCheckFrequency: dur,
  staticPodURL: str, staticPodURLHeader: map(arr(str)), address: str, port: int, readOnlyPort: int, tlsCertFile: str,
  tlsPrivateKeyFile: str, tlsCipherSuites: arr(str), tlsCurvePreferences: arr(int), tlsMinVersion: str, rotateCertificates: bool,
  serverTLSBootstrap: bool, authentication, authorization, registryPullQPS: int, registryBurst: int,
  imagePullCredentialsVerificationPolicy: oneOf('NeverVerify', 'NeverVerifyPreloadedImages', 'NeverVerifyAllowlistedImages', 'AlwaysVerify'),
  preloadedImagesVerificationAllowlist: arr(str), eventRecordQPS: int, eventBurst: int, enableDebuggingHandlers: bool,
  enableContentionProfiling: bool, healthzPort: int, healthzBindAddress: str, oomScoreAdj: int, clusterDomain: str,
  clusterDNS: arr(str), streamingConnectionIdleTimeout: dur, nodeStatusUpdateFrequency: dur, nodeStatusReportFrequency: dur,
  nodeLeaseDurationSeconds: int, imageMinimumGCAge: dur, imageMaximumGCAge: dur, imageGCHighThresholdPercent: int,
  imageGCLowThresholdPercent: int, volumeStatsAggPeriod: dur, kubeletCgroups: str, systemCgroups: str, cgroupRoot: str,
  cgroupsPerQOS: bool, cgroupDriver: oneOf('cgroupfs', 'systemd'), cpuManagerPolicy: str, singleProcessOOMKill: bool,
  cpuManagerPolicyOptions: map(str), cpuManagerReconcilePeriod: dur, draManagerReconcilePeriod: dur, memoryManagerPolicy: str,
  topologyManagerPolicy: str, topologyManagerScope: str, topologyManagerPolicyOptions: map(str), qosReserved: map(str),
  runtimeRequestTimeout: dur, hairpinMode: str, maxPods: int, podCIDR: str, podPidsLimit: int, resolvConf: str, runOnce: bool,
  cpuCFSQuota: bool, cpuCFSQuotaPeriod: dur, nodeStatusMaxImages: int, maxOpenFiles: int, contentType: str, kubeAPIQPS: int,
  kubeAPIBurst: int, serializeImagePulls: bool, maxParallelImagePulls: int, evictionHard: map(str), evictionSoft: map(str),
  evictionSoftGracePeriod: map(str), evictionPressureTransitionPeriod: dur, evictionMaxPodGracePeriod: int,
  evictionMinimumReclaim: map(str), mergeDefaultEvictionSettings: bool, podsPerCore: int, enableControllerAttachDetach: bool,
  protectKernelDefaults: bool, makeIPTablesUtilChains: bool, iptablesMasqueradeBit: int, iptablesDropBit: int,
  featureGates: map(bool), failSwapOn: bool, memorySwap: obj({ swapBehavior: str }), containerLogMaxSize: str,
  containerLogMaxFiles: int, containerLogMaxWorkers: int, containerLogMonitorInterval: dur,
  configMapAndSecretChangeDetectionStrategy: oneOf('Get', 'Cache', 'Watch'), systemReserved: map(str), kubeReserved: map(str),
  reservedSystemCPUs: str, showHiddenMetricsForVersion: str, systemReservedCgroup: str, kubeReservedCgroup: str,
  enforceNodeAllocatable: arr(str), allowedUnsafeSysctls: arr(str), volumePluginDir: str, providerID: str,
  kernelMemcgNotification: bool, logging: anyObject, enableSystemLogHandler: bool, enableSystemLogQuery: bool,
  shutdownGracePeriod: dur, shutdownGracePeriodCriticalPods: dur,
  shutdownGracePeriodByPodPriority: arr(obj({ priority: int, shutdownGracePeriodSeconds: int }, ['priority', 'shutdownGracePeriodSeconds'])),
  crashLoopBackOff: obj({ maxContainerRestartPeriod: dur }), reservedMemory: arr(obj({ numaNode: int, limits: map(str) }, ['numaNode', 'limits'])),
  enableProfilingHandler: bool, enableDebugFlagsHandler: bool, seccompDefault: bool, memoryThrottlingFactor: num,
  memoryReservationPolicy: oneOf('None', 'TieredReservation'), registerWithTaints: arr(taint), registerNode: bool, tracing: anyObject,
  localStorageCapacityIsolation: bool, containerRuntimeEndpoint: str, imageServiceEndpoint: str, failCgroupV1: bool,
  userNamespaces: obj({ idsPerPod: int }),
};

export const KUBELET_SCHEMAS: readonly Schema[] = [kind('kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration', FIELDS)];
