import {
  isValidNodeName,
  NodeSummary,
  Notice,
  notice,
  nodesRunning,
  parsePodList,
  parseSidecarResponse,
  parseSummary,
  planPodList,
  PodInfo,
  PodScope,
  summaryPath,
  TimeRange,
} from '../core';
import { ContainersResponse } from '../core/sidecar-api';
import { failureText, fanOut } from './fan-out';
import { KubeClient } from './kube-client';
import { K8S, KUBELET, sidecarDirectPath, sidecarPodProxyPath } from './kube-paths';
import { KubeRequestError } from './kube-request-error';
import { Settings } from './settings';
import { annotatedSidecars, daemonSetSidecars, SidecarTarget, sidecarName } from './sidecar-discovery';

/** Everything read from the cluster for one query, before the join. */
export interface ClusterSnapshot {
  /** Null when the pod list could not be read. */
  pods: PodInfo[] | null;
  /** Nodes that were asked for stats (those running the selected pods). */
  nodesAsked: string[];
  summaries: NodeSummary[];
  sidecars: ContainersResponse[];
  notices: Notice[];
}

export interface SnapshotRequest {
  scope: PodScope;
  range: TimeRange;
  includeSidecars: boolean;
  /** Ask the nodes for kubelet summaries (default true); annotations need only pods and sidecars. */
  includeSummaries?: boolean;
}

/**
 * Reads what one query needs, scoped so a browser can afford it: the selected pods first, then the kubelet summaries
 * of only the nodes running them, then (optionally) their peak sidecars. A failed node or sidecar becomes a notice
 * naming it; the rest of the answer is kept.
 */
export async function collectSnapshot(
  client: KubeClient,
  settings: Settings,
  request: SnapshotRequest
): Promise<ClusterSnapshot> {
  const notices: Notice[] = [];

  // 1. The selected pods.
  const listed = await listPods(client, request.scope, notices);
  const pods = listed?.pods ?? null;

  // 2. Only the nodes running them.
  let nodesAsked: string[] = [];
  if (listed) {
    nodesAsked = nodesRunning(listed.pods);
  } else if (request.scope.node && !request.scope.node.includes(',')) {
    nodesAsked = [request.scope.node];
  } else {
    notices.push(notice('warning', 'without the pod list no node was asked for stats'));
  }
  const summaries =
    request.includeSummaries === false ? [] : await readSummaries(client, settings, nodesAsked, notices);

  // 3. Their sidecars.
  const sidecars =
    request.includeSidecars && settings.sidecarDiscovery !== 'none'
      ? await readSidecars(client, settings, pods ?? [], new Set(nodesAsked), request.range, notices)
      : [];

  return { pods, nodesAsked, summaries, sidecars, notices };
}

/**
 * The pods of a scope: one request per namespace (all namespaces when none is given), merged, and narrowed to the
 * picked pod names. Null when the scope is invalid or any list failed (the notices say why).
 */
export async function listPods(
  client: KubeClient,
  scope: PodScope,
  notices: Notice[],
  limit?: number
): Promise<{ pods: PodInfo[] } | null> {
  const plan = planPodList(scope);
  notices.push(...plan.notices);
  if (plan.requests.length === 0) {
    return null;
  }

  const pods: PodInfo[] = [];
  const seen = new Set<string>();
  let failed = false;
  for (const listRequest of plan.requests) {
    const url = limit
      ? `${listRequest.url}${listRequest.url.includes('?') ? '&' : '?'}limit=${limit}`
      : listRequest.url;
    const namespace = /\/namespaces\/([^/]+)\//.exec(listRequest.path)?.[1];
    try {
      const parsed = parsePodList(
        await client.get(`${K8S}${url}`, namespace ? `the pod list of namespace "${namespace}"` : 'the pod list')
      );
      notices.push(...parsed.notices);
      for (const pod of parsed.pods) {
        const key = `${pod.namespace}/${pod.name}`;
        if (!seen.has(key) && (plan.podNames === null || plan.podNames.includes(pod.name))) {
          seen.add(key);
          pods.push(pod);
        }
      }
    } catch (error) {
      notices.push(notice('error', messageOf(error)));
      failed = true;
    }
  }
  // Known gap: with several namespaces, one failed list drops the pod list as a whole rather than show a part of the
  // scope as if it were all of it.
  return failed ? null : { pods };
}

/** Kubelet summaries of `nodes`, through the configured path. */
export async function readSummaries(
  client: KubeClient,
  settings: Settings,
  asked: readonly string[],
  notices: Notice[]
): Promise<NodeSummary[]> {
  // A name from a template variable or a broken pod list goes into a URL path: `..` or `a/b` would reach another path.
  const nodes = asked.filter((node) => isValidNodeName(node));
  for (const node of asked) {
    if (!isValidNodeName(node)) {
      notices.push(notice('error', `"${node}" is not a valid node name; its stats were not asked`));
    }
  }
  if (nodes.length === 0) {
    return [];
  }
  if (settings.nodeStatsPath === 'kubelet') {
    return readDirectKubelet(client, settings, nodes, notices);
  }

  const result = await fanOut(
    nodes,
    (node) => client.get(`${K8S}${summaryPath(node, 'apiserver')}`, `node "${node}" stats`, settings.nodeTimeoutMs),
    {
      concurrency: settings.nodeConcurrency,
      timeoutMs: settings.nodeTimeoutMs,
      nameOf: (node) => `node "${node}" stats`,
    }
  );
  for (const failure of result.failures) {
    notices.push(notice('warning', `${failureText(failure)}; its containers are shown without kubelet stats`));
  }

  const summaries: NodeSummary[] = [];
  for (const { target, value } of result.successes) {
    const parsed = parseSummary(value, target);
    notices.push(...parsed.notices);
    if (parsed.summary) {
      summaries.push(parsed.summary);
    }
  }
  return summaries;
}

// Known gap: the direct kubelet route has one base URL (Grafana proxy routes cannot carry a per-node host), so it
// reaches one kubelet; other nodes get a notice. Clusters with many nodes use the API server path.
async function readDirectKubelet(
  client: KubeClient,
  settings: Settings,
  nodes: readonly string[],
  notices: Notice[]
): Promise<NodeSummary[]> {
  let body: unknown;
  try {
    body = await client.get(
      `${KUBELET}${summaryPath(nodes[0], 'kubelet')}`,
      'the kubelet summary',
      settings.nodeTimeoutMs
    );
  } catch (error) {
    notices.push(notice('warning', `${messageOf(error)}; containers are shown without kubelet stats`));
    return [];
  }

  const reported = (body as { node?: { nodeName?: unknown } } | null)?.node?.nodeName;
  const nodeName = typeof reported === 'string' && reported !== '' ? reported : nodes[0];
  const parsed = parseSummary(body, nodeName);
  notices.push(...parsed.notices);

  const missed = nodes.filter((n) => n !== nodeName);
  if (missed.length > 0) {
    notices.push(
      notice(
        'warning',
        `the kubelet URL reaches node "${nodeName}" only; ${missed.map((n) => `node "${n}"`).join(', ')} not asked (use the API server path for several nodes)`
      )
    );
  }
  return parsed.summary ? [parsed.summary] : [];
}

async function readSidecars(
  client: KubeClient,
  settings: Settings,
  pods: readonly PodInfo[],
  nodes: ReadonlySet<string>,
  range: TimeRange,
  notices: Notice[]
): Promise<ContainersResponse[]> {
  const targets = await sidecarTargets(client, settings, pods, nodes, notices);
  if (targets.length === 0) {
    return [];
  }

  const result = await fanOut(
    targets,
    (target) => {
      const path =
        target.via === 'url'
          ? sidecarDirectPath(range.fromMs, range.toMs)
          : sidecarPodProxyPath(target.namespace, target.pod, target.port, range.fromMs, range.toMs);
      return client.get(path, sidecarName(target), settings.nodeTimeoutMs);
    },
    { concurrency: settings.nodeConcurrency, timeoutMs: settings.nodeTimeoutMs, nameOf: sidecarName }
  );
  for (const failure of result.failures) {
    const where = failure.target.via === 'pod-proxy' && failure.target.node ? ` on node "${failure.target.node}"` : '';
    notices.push(notice('warning', `${failureText(failure)}${where}; peaks there are unknown`));
  }

  const answers: ContainersResponse[] = [];
  for (const { target, value } of result.successes) {
    const parsed = parseSidecarResponse(value, sidecarName(target).replace(/^sidecar /, ''));
    notices.push(...parsed.notices);
    if (parsed.response) {
      answers.push(parsed.response);
    }
  }
  return answers;
}

async function sidecarTargets(
  client: KubeClient,
  settings: Settings,
  pods: readonly PodInfo[],
  nodes: ReadonlySet<string>,
  notices: Notice[]
): Promise<SidecarTarget[]> {
  switch (settings.sidecarDiscovery) {
    case 'url':
      return [{ via: 'url' }];
    case 'annotation': {
      const found = annotatedSidecars(pods, settings);
      notices.push(...found.notices);
      return found.targets;
    }
    case 'daemonset': {
      if (!settings.sidecarLabelSelector) {
        notices.push(notice('warning', 'sidecar discovery is "daemonset" but no sidecar label selector is set'));
        return [];
      }
      if (nodes.size === 0) {
        return [];
      }
      const scope = { namespace: settings.sidecarNamespace ?? undefined, labelSelector: settings.sidecarLabelSelector };
      const listNotices: Notice[] = [];
      const listed = await listPods(client, scope, listNotices);
      notices.push(...listNotices.map((n) => notice('warning', `peak sidecar pods: ${n.text}; peaks are unknown`)));
      if (!listed) {
        return [];
      }
      const found = daemonSetSidecars(listed.pods, nodes, settings);
      notices.push(...found.notices);
      return found.targets;
    }
    default:
      return [];
  }
}

function messageOf(error: unknown): string {
  return error instanceof KubeRequestError || error instanceof Error ? error.message : String(error);
}
