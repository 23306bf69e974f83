/** Desired state of the service proxy: what the agent derives from Services and EndpointSlices. */

export type ServiceProtocol = 'TCP' | 'UDP' | 'SCTP';

/** One port of a Service. */
export interface ProxyServicePort {
  /** Port name; required by Kubernetes when a Service has several ports. Endpoints refer to it. */
  name?: string;
  port: number;
  protocol: ServiceProtocol;
  /** Set for NodePort and LoadBalancer Services. */
  nodePort?: number;
}

/** One backend address for one Service port (an EndpointSlice endpoint × port). */
export interface ProxyEndpoint {
  ip: string;
  /** The resolved target port on the pod. */
  port: number;
  /** The Service port this belongs to (matches {@link ProxyServicePort.name}); omitted for single-port Services. */
  portName?: string;
  /** Only ready endpoints receive traffic. */
  ready: boolean;
  /** On this node (EndpointSlice `nodeName`); only local endpoints serve traffic-policy-Local paths. */
  local?: boolean;
}

/** `Local`: only endpoints on this node; with none, the traffic is dropped (as kube-proxy does). */
export type TrafficPolicy = 'Cluster' | 'Local';

/** A Service as the proxy programs it. */
export interface ProxyService {
  namespace: string;
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** Absent or 'None' for headless Services, which the proxy skips (DNS hands out pod IPs instead). */
  clusterIP?: string;
  ports: ProxyServicePort[];
  sessionAffinity?: 'None' | 'ClientIP';
  /** Kubernetes default: 10800 s. */
  sessionAffinityTimeoutSeconds?: number;
  externalIPs?: string[];
  /** `status.loadBalancer.ingress[].ip` (from the loopback pool by default). */
  loadBalancerIPs?: string[];
  endpoints: ProxyEndpoint[];
  /** NodePort, LoadBalancer and external IP traffic; `Local` also keeps the client's source address. Default Cluster. */
  externalTrafficPolicy?: TrafficPolicy;
  /** ClusterIP traffic. Default Cluster. */
  internalTrafficPolicy?: TrafficPolicy;
  /** Set for LoadBalancer Services with externalTrafficPolicy Local: where the node answers `/healthz`. */
  healthCheckNodePort?: number;
}

export interface ProxyState {
  services: ProxyService[];
}
