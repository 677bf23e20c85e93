import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/** What a Headroom query asks for. */
export enum QueryType {
  Containers = 'containers',
  ContainerMemory = 'containerMemory',
  Nodes = 'nodes',
  Diagnosis = 'diagnosis',
  Recommendations = 'recommendations',
}

export interface HeadroomQuery extends DataQuery {
  queryType: QueryType;
  /** Kubernetes namespace; empty means all namespaces. Template variables allowed. */
  namespace?: string;
  /** Kubernetes label selector for pods, e.g. `app=api,tier!=cache`. Template variables allowed. */
  labelSelector?: string;
  /** Only this pod (name, regex-free). Template variables allowed. */
  pod?: string;
  /** Only this container name. Template variables allowed. */
  container?: string;
  /** Only pods on this node. Template variables allowed. */
  node?: string;
  /** Live mode: the panel refreshes every `liveIntervalMs` and keeps the recent points. */
  live?: boolean;
  liveIntervalMs?: number;
  /** Read the peak sidecars too (true peaks, events, breakdown). */
  includeSidecars?: boolean;
}

export const DEFAULT_QUERY: Partial<HeadroomQuery> = {
  queryType: QueryType.Containers,
  includeSidecars: true,
  live: false,
  liveIntervalMs: 5000,
};

/** Which template variable a variable query lists. */
export interface HeadroomVariableQuery {
  kind: 'namespace' | 'node' | 'pod' | 'container';
  namespace?: string;
  labelSelector?: string;
}

/** How node stats are read: through the API server's `nodes/proxy`, or from the kubelet directly (`nodes/stats`). */
export type NodeStatsPath = 'apiserver' | 'kubelet';

/** How the peak sidecars are found and reached. */
export type SidecarDiscovery = 'none' | 'annotation' | 'daemonset' | 'url';

/** Options configured for each data source instance (jsonData). */
export interface HeadroomOptions extends DataSourceJsonData {
  /** Kubernetes API server URL, used by the `k8s` proxy route. */
  apiServerUrl?: string;
  nodeStatsPath?: NodeStatsPath;
  /** Base URL of the kubelet for the `kubelet` route (direct `nodes/stats` access). */
  kubeletUrl?: string;
  /** At most this many nodes (or sidecars) are asked at once. */
  nodeConcurrency?: number;
  /** Per-node (and per-sidecar) request timeout. */
  nodeTimeoutMs?: number;
  sidecarDiscovery?: SidecarDiscovery;
  /** Pod annotation that carries the sidecar's port (pod scope). */
  sidecarPortAnnotation?: string;
  /** Label selector of the node-scope DaemonSet's pods. */
  sidecarLabelSelector?: string;
  /** Namespace of the node-scope DaemonSet. */
  sidecarNamespace?: string;
  /** Sidecar port when not given by annotation. */
  sidecarPort?: number;
  /** Direct URL of a sidecar (discovery `url`), used by the `sidecar` proxy route. */
  sidecarUrl?: string;
  /** Grafana's standard TLS options, honoured by the data source proxy. */
  tlsSkipVerify?: boolean;
  tlsAuthWithCACert?: boolean;
}

/** Values kept on the Grafana server and injected by the proxy routes; never sent to the browser. */
export interface HeadroomSecureJsonData {
  token?: string;
  tlsCACert?: string;
}

export const DEFAULT_OPTIONS: Required<
  Pick<
    HeadroomOptions,
    'nodeStatsPath' | 'nodeConcurrency' | 'nodeTimeoutMs' | 'sidecarDiscovery' | 'sidecarPortAnnotation' | 'sidecarPort'
  >
> = {
  nodeStatsPath: 'apiserver',
  nodeConcurrency: 8,
  nodeTimeoutMs: 5000,
  sidecarDiscovery: 'annotation',
  sidecarPortAnnotation: 'headroom.dev/port',
  sidecarPort: 9180,
};
