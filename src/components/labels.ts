import { DEFAULT_OPTIONS, DEFAULT_QUERY } from '../types';

/** Every string the Headroom editors show, in one place for the components and their tests. */
export const labels = {
  config: {
    kubernetesSection: {
      title: 'Kubernetes API',
      description:
        'Headroom reads pods, nodes and kubelet stats through the Grafana server. The token stays on the server and is ' +
        'added to each request by the data source proxy; it never reaches the browser.',
    },
    apiServerUrl: {
      label: 'API server URL',
      description: 'Base URL of the Kubernetes API server, as Grafana reaches it.',
      placeholder: 'https://kubernetes.default.svc',
    },
    token: {
      label: 'Bearer token',
      description: 'Service account token sent as "Authorization: Bearer". See the RBAC examples in deploy/rbac.',
      placeholder: 'Service account token',
    },
    nodeStatsSection: {
      title: 'Node stats',
      description: 'Where the kubelet Summary API (/stats/summary) is read from.',
    },
    nodeStatsPath: {
      label: 'Node stats path',
      description:
        'Through the API server needs the broad nodes/proxy permission; reading the kubelet directly needs only ' +
        'nodes/stats.',
      apiserver: 'API server (nodes/proxy)',
      kubelet: 'Kubelet direct (nodes/stats)',
    },
    kubeletUrl: {
      label: 'Kubelet URL',
      description:
        'Base URL of one kubelet, e.g. https://10.0.3.17:10250, or of a gateway in front of the kubelets. Other nodes ' +
        'are reported as missing; for many nodes use the API server path.',
      placeholder: 'https://node-address:10250',
    },
    nodeConcurrency: {
      label: 'Node concurrency',
      description: `At most this many nodes or sidecars are asked at once. Default ${DEFAULT_OPTIONS.nodeConcurrency}.`,
      placeholder: String(DEFAULT_OPTIONS.nodeConcurrency),
      invalid: 'Enter a whole number of nodes, 1 or more.',
    },
    nodeTimeoutMs: {
      label: 'Per-node timeout (ms)',
      description: `A node or sidecar that has not answered after this long is reported as missing; the rest of the result is kept. Default ${DEFAULT_OPTIONS.nodeTimeoutMs} ms.`,
      placeholder: String(DEFAULT_OPTIONS.nodeTimeoutMs),
      invalid: 'Enter a whole number of milliseconds, 1 or more.',
    },
    tlsSection: {
      title: 'TLS',
      description: 'Applies to every request the data source proxy makes for Headroom.',
    },
    tlsAuthWithCACert: {
      label: 'With CA certificate',
      description: "Verify the server against this CA, e.g. the cluster CA from the service account's ca.crt.",
    },
    tlsCACert: {
      label: 'CA certificate',
      description: 'PEM-encoded CA certificate. Kept on the Grafana server.',
      placeholder: '-----BEGIN CERTIFICATE-----',
    },
    tlsSkipVerify: {
      label: 'Skip TLS verification',
      description:
        'Accept any server certificate. Only for test clusters: it allows a man-in-the-middle to read the token.',
    },
    sidecarSection: {
      title: 'Peak sidecars',
      description:
        'The sidecar reads the kernel’s own peak (memory.peak, max_usage_in_bytes) and memory events, which sampled ' +
        'stats miss.',
    },
    sidecarDiscovery: {
      label: 'Discovery',
      description: 'How Headroom finds the peak sidecars.',
      none: 'None',
      annotation: 'Pod annotation',
      daemonset: 'DaemonSet',
      url: 'Direct URL',
    },
    sidecarPortAnnotation: {
      label: 'Port annotation',
      description: 'Pod annotation that carries the sidecar’s port. Pods without it are read without a sidecar.',
      placeholder: DEFAULT_OPTIONS.sidecarPortAnnotation,
    },
    sidecarPort: {
      label: 'Sidecar port',
      description: `Port of the sidecar when no annotation gives one. Default ${DEFAULT_OPTIONS.sidecarPort}.`,
      placeholder: String(DEFAULT_OPTIONS.sidecarPort),
      invalid: 'Enter a port number from 1 to 65535.',
    },
    sidecarLabelSelector: {
      label: 'DaemonSet pod selector',
      description: 'Label selector of the Headroom DaemonSet’s pods (one per node).',
      placeholder: 'app.kubernetes.io/name=headroom-sidecar',
    },
    sidecarNamespace: {
      label: 'DaemonSet namespace',
      description: 'Namespace the Headroom DaemonSet runs in.',
      placeholder: 'headroom',
    },
    sidecarUrl: {
      label: 'Sidecar URL',
      description: 'Address of one sidecar, for a Grafana running beside it (e.g. in the same cluster).',
      placeholder: 'http://headroom-sidecar.headroom.svc:9180',
    },
  },
  query: {
    queryType: {
      label: 'Query',
      tooltip: 'What the query returns.',
      containers: 'Containers',
      containerMemory: 'Container memory',
      nodes: 'Nodes',
      diagnosis: 'Diagnosis',
      recommendations: 'Recommendations',
    },
    namespace: {
      label: 'Namespace',
      tooltip: 'Empty means all namespaces. Template variables allowed.',
      placeholder: 'all',
    },
    labelSelector: {
      label: 'Label selector',
      tooltip: 'Kubernetes label selector for pods. Template variables allowed.',
      placeholder: 'app=api,tier!=cache',
    },
    pod: { label: 'Pod', tooltip: 'Only this pod (exact name).', placeholder: 'any' },
    container: { label: 'Container', tooltip: 'Only this container name.', placeholder: 'any' },
    node: { label: 'Node', tooltip: 'Only pods on this node.', placeholder: 'any' },
    includeSidecars: {
      label: 'Peak sidecars',
      tooltip: 'Read the peak sidecars too: true peaks, limit hits, OOM kills and the memory breakdown.',
    },
    live: { label: 'Live', tooltip: 'Refresh the panel on an interval and keep the recent points.' },
    liveIntervalMs: {
      label: 'Every (ms)',
      tooltip: `How often live mode refreshes. Default ${DEFAULT_QUERY.liveIntervalMs} ms.`,
      placeholder: String(DEFAULT_QUERY.liveIntervalMs),
      invalid: 'Enter a whole number of milliseconds, 1 or more.',
    },
  },
  variable: {
    kind: {
      label: 'List',
      tooltip: 'What the variable lists.',
      namespace: 'Namespaces',
      node: 'Nodes',
      pod: 'Pods',
      container: 'Containers',
    },
    namespace: {
      label: 'Namespace',
      tooltip: 'Only in this namespace; empty means all. Other variables allowed.',
      placeholder: 'all',
    },
    labelSelector: {
      label: 'Label selector',
      tooltip: 'Only pods matching this selector, and the namespaces, nodes and containers of those pods.',
      placeholder: 'app=api',
    },
  },
} as const;
