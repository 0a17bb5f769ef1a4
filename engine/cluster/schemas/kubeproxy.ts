import { anyObject, arr, bool, dur, int, kind, map, num, obj, oneOf, str, type Schema } from './dsl.js';

/** KubeProxyConfiguration, from staging/src/k8s.io/kube-proxy/config/v1alpha1/types.go. */
const iptables: Schema = obj({ masqueradeBit: int, masqueradeAll: bool, localhostNodePorts: bool, snatNodeInternalIP: bool, syncPeriod: dur, minSyncPeriod: dur });
const ipvs: Schema = obj({
  syncPeriod: dur, minSyncPeriod: dur, scheduler: str, excludeCIDRs: arr(str), strictARP: bool, tcpTimeout: dur, tcpFinTimeout: dur, udpTimeout: dur,
});
const nftables: Schema = obj({ masqueradeBit: int, masqueradeAll: bool, syncPeriod: dur, minSyncPeriod: dur });
const winkernel: Schema = obj({ networkName: str, sourceVip: str, enableDSR: bool, rootHnsEndpointName: str, forwardHealthCheckVip: bool });
const conntrack: Schema = obj({
  maxPerCore: int, min: int, tcpEstablishedTimeout: dur, tcpCloseWaitTimeout: dur, tcpBeLiberal: bool, udpTimeout: dur, udpStreamTimeout: dur,
});
// component-base/config/v1alpha1 ClientConnectionConfiguration
const clientConnection: Schema = obj({ kubeconfig: str, acceptContentTypes: str, contentType: str, qps: num, burst: int });

export const KUBEPROXY_SCHEMAS: readonly Schema[] = [kind('kubeproxy.config.k8s.io/v1alpha1', 'KubeProxyConfiguration', {
  featureGates: map(bool), clientConnection, logging: anyObject, hostnameOverride: str, bindAddress: str, healthzBindAddress: str,
  metricsBindAddress: str, bindAddressHardFail: bool, enableProfiling: bool, showHiddenMetricsForVersion: str,
  mode: oneOf('', 'iptables', 'ipvs', 'nftables', 'kernelspace'), iptables, ipvs, nftables, winkernel,
  detectLocalMode: str,
  detectLocal: obj({ bridgeInterface: str, interfaceNamePrefix: str }), clusterCIDR: str, nodePortAddresses: arr(str),
  oomScoreAdj: int, conntrack, configSyncPeriod: dur, portRange: str, windowsRunAsService: bool,
})];
