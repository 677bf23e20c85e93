import { KubeClient } from './kube-client';
import { summaryPath } from '../core';
import { accessReviewPath, K8S, KUBELET, nodeListPath, sidecarDirectPath, versionPath } from './kube-paths';
import { KubeRequestError } from './kube-request-error';
import { Settings } from './settings';

export type CheckState = 'ok' | 'missing' | 'skipped';

/** One line of the connection test. */
export interface Check {
  name: string;
  state: CheckState;
  detail: string;
  /** A missing check that stops the data source from working at all (not just a degraded part). */
  essential: boolean;
}

export interface HealthResult {
  status: 'success' | 'warning' | 'error';
  message: string;
  details: { message: string; verboseMessage: string };
  checks: Check[];
}

interface AccessReview {
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

interface NodeList {
  items?: Array<{ metadata?: { name?: string } }>;
}

interface Summary {
  node?: { nodeName?: string };
  pods?: unknown[];
}

/**
 * Tests what works and what is missing: API server reachable (`/version`), token accepted, may list nodes and pods,
 * RBAC for the node stats paths (`get nodes/proxy`, `get nodes/stats`, by SelfSubjectAccessReview), and a real summary
 * fetch of one node through the configured path.
 */
export async function checkHealth(client: KubeClient, settings: Settings, nowMs: number): Promise<HealthResult> {
  const checks: Check[] = [];

  // 1. Reachable and token accepted.
  let version: { gitVersion?: string } | null = null;
  try {
    version = await client.get<{ gitVersion?: string }>(versionPath(), 'the API server version');
    checks.push(ok('API server reachable', `Kubernetes ${version.gitVersion ?? 'version unknown'}`, true));
    checks.push(ok('Token accepted', 'the API server authenticated the request', true));
  } catch (error) {
    const e = asKubeError(error);
    if (e.kind === 'unauthorized') {
      checks.push(ok('API server reachable', 'it answered (401)', true));
      checks.push(missing('Token accepted', e.message, true));
    } else {
      checks.push(missing('API server reachable', e.message, true));
    }
    return summarize(checks, settings);
  }

  // 2. Listing nodes and pods (the query flow needs both).
  let firstNode: string | null = null;
  try {
    const nodes = await client.get<NodeList>(`${nodeListPath()}?limit=1`, 'the node list');
    firstNode = nodes.items?.[0]?.metadata?.name ?? null;
    checks.push(ok('May list nodes', firstNode ? `first node "${firstNode}"` : 'the cluster has no nodes', false));
  } catch (error) {
    checks.push(missing('May list nodes', asKubeError(error).message, false));
  }
  try {
    await client.get(`${K8S}/api/v1/pods?limit=1`, 'the pod list');
    checks.push(ok('May list pods', 'in all namespaces', true));
  } catch (error) {
    checks.push(missing('May list pods', asKubeError(error).message, true));
  }

  // 3. RBAC for both node stats paths; the configured one matters, the other is reported for information.
  const uses = settings.nodeStatsPath;
  checks.push(await accessCheck(client, 'proxy', uses === 'apiserver'));
  checks.push(await accessCheck(client, 'stats', uses === 'kubelet'));

  // 4. A real summary through the configured path.
  checks.push(await summaryCheck(client, settings, firstNode));

  // 5. The direct sidecar URL, when that is how sidecars are found.
  if (settings.sidecarDiscovery === 'url') {
    try {
      await client.get(sidecarDirectPath(nowMs - 60_000, nowMs), 'the sidecar at the configured URL');
      checks.push(ok('Sidecar reachable', 'the sidecar at the configured URL answered', false));
    } catch (error) {
      checks.push(missing('Sidecar reachable', asKubeError(error).message, false));
    }
  }

  return summarize(checks, settings, version?.gitVersion);
}

async function accessCheck(client: KubeClient, subresource: 'proxy' | 'stats', configured: boolean): Promise<Check> {
  const name = `May get nodes/${subresource}${configured ? '' : ' (not needed for the configured path)'}`;
  const review = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { verb: 'get', resource: 'nodes', subresource } },
  };
  try {
    const answer = await client.post<AccessReview>(
      accessReviewPath(),
      `the access review for nodes/${subresource}`,
      review
    );
    if (answer.status?.allowed === true) {
      return ok(name, `RBAC allows "get" on "nodes/${subresource}"`, false);
    }
    const why = answer.status?.reason || answer.status?.evaluationError;
    const detail = `RBAC does not allow "get" on "nodes/${subresource}"${why ? ` (${why})` : ''}`;
    return configured ? missing(name, detail, false) : { name, state: 'skipped', detail, essential: false };
  } catch (error) {
    const detail = asKubeError(error).message;
    return configured ? missing(name, detail, false) : { name, state: 'skipped', detail, essential: false };
  }
}

async function summaryCheck(client: KubeClient, settings: Settings, firstNode: string | null): Promise<Check> {
  const viaKubelet = settings.nodeStatsPath === 'kubelet';
  const name = viaKubelet ? 'Node stats from the kubelet URL' : 'Node stats through the API server';
  if (!viaKubelet && !firstNode) {
    return {
      name,
      state: 'skipped',
      detail: 'no node to ask (the node list is empty or not allowed)',
      essential: false,
    };
  }
  const path = viaKubelet ? `${KUBELET}${summaryPath('', 'kubelet')}` : `${K8S}${summaryPath(firstNode!, 'apiserver')}`;
  const what = viaKubelet ? 'the kubelet summary' : `node "${firstNode}" stats`;
  try {
    const summary = await client.get<Summary>(path, what, settings.nodeTimeoutMs);
    const node = summary.node?.nodeName ?? firstNode ?? 'unknown node';
    const pods = Array.isArray(summary.pods) ? summary.pods.length : 0;
    return ok(name, `summary of node "${node}" read (${pods} pods)`, false);
  } catch (error) {
    return missing(name, asKubeError(error).message, false);
  }
}

function summarize(checks: Check[], settings: Settings, version?: string): HealthResult {
  const failedEssential = checks.some((c) => c.state === 'missing' && c.essential);
  const failedAny = checks.some((c) => c.state === 'missing');
  const status = failedEssential ? 'error' : failedAny ? 'warning' : 'success';

  const lines = checks.map(
    (c) => `${c.state === 'ok' ? 'ok' : c.state === 'missing' ? 'missing' : 'info'}: ${c.name} — ${c.detail}`
  );
  const missingNames = checks.filter((c) => c.state === 'missing').map((c) => c.name);
  const path =
    settings.nodeStatsPath === 'kubelet' ? 'direct kubelet (nodes/stats)' : 'API server node proxy (nodes/proxy)';
  const headline =
    status === 'success'
      ? `Connected${version ? ` to Kubernetes ${version}` : ''}; node stats via ${path} work`
      : `${status === 'error' ? 'Not working' : 'Partly working'}: missing ${missingNames.join(', ')}`;

  return {
    status,
    message: `${headline}. ${lines.join('; ')}`,
    details: { message: headline, verboseMessage: lines.join('\n') },
    checks,
  };
}

function ok(name: string, detail: string, essential: boolean): Check {
  return { name, state: 'ok', detail, essential };
}

function missing(name: string, detail: string, essential: boolean): Check {
  return { name, state: 'missing', detail, essential };
}

function asKubeError(error: unknown): KubeRequestError {
  return error instanceof KubeRequestError
    ? error
    : new KubeRequestError('network', error instanceof Error ? error.message : String(error));
}
