import { ContainerRow, joinContainers, Notice, notice, PodInfo, TimeRange } from '../core';
import { collectSnapshot } from './cluster-snapshot';
import { InterpolatedScope, isMultiValue } from './interpolate';
import { KubeClient } from './kube-client';
import { Settings } from './settings';

export interface ContainerRowsResult {
  rows: ContainerRow[];
  /** The pods in scope; null when the pod list could not be read. */
  pods: PodInfo[] | null;
  notices: Notice[];
}

/**
 * Reads the cluster for one query's scope and joins it into container rows. The pod list decides which pods appear
 * (several namespaces or pods from a multi-value variable included); the container name is matched here.
 */
export async function readContainerRows(
  client: KubeClient,
  settings: Settings,
  scope: InterpolatedScope,
  range: TimeRange,
  includeSidecars: boolean
): Promise<ContainerRowsResult> {
  const snapshot = await collectSnapshot(client, settings, {
    scope: { namespace: scope.namespace, labelSelector: scope.labelSelector, pod: scope.pod, node: scope.node },
    range,
    includeSidecars,
  });

  const containers = scope.container ? new Set(scope.container.split(',').map((c) => c.trim())) : null;
  const rows = joinContainers({
    summaries: snapshot.summaries,
    pods: snapshot.pods,
    sidecars: snapshot.sidecars,
    range,
    filter: {
      namespace: single(scope.namespace),
      pod: single(scope.pod),
      node: single(scope.node),
    },
  }).filter((row) => containers === null || containers.has(row.container));

  const notices = [...snapshot.notices];
  if (snapshot.pods !== null && snapshot.pods.length === 0) {
    notices.push(notice('info', `no pod matches ${describeScope(scope)}`));
  }
  return { rows, pods: snapshot.pods, notices };
}

function single(value: string): string | undefined {
  return value && !isMultiValue(value) ? value : undefined;
}

function describeScope(scope: InterpolatedScope): string {
  const parts = [
    scope.namespace ? `namespace ${scope.namespace}` : 'all namespaces',
    scope.labelSelector ? `labels ${scope.labelSelector}` : null,
    scope.pod ? `pod ${scope.pod}` : null,
    scope.node ? `node ${scope.node}` : null,
  ];
  return parts.filter((p) => p !== null).join(', ');
}
