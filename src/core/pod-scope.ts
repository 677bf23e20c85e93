// Query scoping: which pods to list, and which nodes to ask for stats. A browser cannot ask every kubelet of a large
// cluster, so a query names a namespace, labels, a pod or a node, and only the nodes running those pods are asked.
import { Notice, notice } from './notice';
import { PodInfo } from './pod-list';

/** The part of a query that picks pods; values are already interpolated. Empty, `*` or `All` means any. */
export interface PodScope {
  /** One namespace, or several separated by commas (`a,b` or `{a,b}` as Grafana formats multi-value variables). */
  namespace?: string;
  labelSelector?: string;
  /** One pod name, or several separated by commas. */
  pod?: string;
  node?: string;
}

/** One request for the pod list: an API path and its query parameters. */
export interface PodListRequest {
  path: string;
  params: Record<string, string>;
  /** Path and encoded query string together. */
  url: string;
}

export interface PodListPlan {
  /** One request per namespace (a single cluster-wide one when no namespace is given); empty when the scope is invalid. */
  requests: PodListRequest[];
  /** Pod names to keep after listing, when more than one was asked (field selectors cannot express "one of"). */
  podNames: string[] | null;
  notices: Notice[];
}

// DNS-1123 label (namespaces) and subdomain (pods, nodes).
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * Plans the pod-list requests for a scope: `/api/v1/namespaces/NS/pods` or `/api/v1/pods`, with `labelSelector` and a
 * `fieldSelector` on `metadata.name` and `spec.nodeName`. Invalid names and unresolved template variables become
 * error notices and no request.
 */
export function planPodList(scope: PodScope): PodListPlan {
  const notices: Notice[] = [];
  const namespaces = splitValues(scope.namespace);
  const pods = splitValues(scope.pod);
  const node = splitValues(scope.node);
  const labelSelector = (scope.labelSelector ?? '').trim();

  for (const [what, values, pattern, max] of [
    ['namespace', namespaces, DNS_LABEL, 63],
    ['pod', pods, DNS_SUBDOMAIN, 253],
    ['node', node, DNS_SUBDOMAIN, 253],
  ] as const) {
    for (const value of values) {
      if (value.includes('$')) {
        notices.push(notice('error', `the ${what} "${value}" still holds a template variable that has no value`));
      } else if (value.length > max || !pattern.test(value)) {
        notices.push(notice('error', `"${value}" is not a valid ${what} name`));
      }
    }
  }
  if (labelSelector.includes('$')) {
    notices.push(
      notice('error', `the label selector "${labelSelector}" still holds a template variable that has no value`)
    );
  }
  if (node.length > 1) {
    notices.push(notice('error', 'only one node can be picked at a time'));
  }
  if (notices.length > 0) {
    return { requests: [], podNames: null, notices };
  }

  const params: Record<string, string> = {};
  if (labelSelector !== '' && labelSelector !== '*') {
    params.labelSelector = labelSelector;
  }
  const fields: string[] = [];
  if (pods.length === 1) {
    fields.push(`metadata.name=${pods[0]}`);
  }
  if (node.length === 1) {
    fields.push(`spec.nodeName=${node[0]}`);
  }
  if (fields.length > 0) {
    params.fieldSelector = fields.join(',');
  }

  const paths = namespaces.length === 0 ? ['/api/v1/pods'] : namespaces.map((ns) => `/api/v1/namespaces/${ns}/pods`);
  return {
    requests: paths.map((path) => ({ path, params, url: withQuery(path, params) })),
    podNames: pods.length > 1 ? pods : null,
    notices,
  };
}

/** The nodes that run any of the pods, sorted; only these are asked for stats. Unscheduled pods name no node. */
export function nodesRunning(pods: readonly PodInfo[], podNames: readonly string[] | null = null): string[] {
  const wanted = podNames ? new Set(podNames) : null;
  const nodes = new Set<string>();
  for (const pod of pods) {
    if (pod.nodeName !== null && (!wanted || wanted.has(pod.name))) {
      nodes.add(pod.nodeName);
    }
  }
  return [...nodes].sort();
}

/** A node name the API server could have given (a DNS-1123 subdomain); anything else must not reach a URL path. */
export function isValidNodeName(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

/** The path of a node's stats summary: through the API server's node proxy, or on the kubelet itself. */
export function summaryPath(nodeName: string, via: 'apiserver' | 'kubelet'): string {
  return via === 'apiserver' ? `/api/v1/nodes/${encodeURIComponent(nodeName)}/proxy/stats/summary` : '/stats/summary';
}

function splitValues(value: string | undefined): string[] {
  const trimmed = (value ?? '').trim().replace(/^\{(.*)\}$/, '$1');
  if (trimmed === '' || trimmed === '*' || trimmed === 'All' || trimmed === '$__all') {
    return [];
  }
  return [
    ...new Set(
      trimmed
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '')
    ),
  ];
}

function withQuery(path: string, params: Record<string, string>): string {
  const query = Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  return query === '' ? path : `${path}?${query}`;
}
