import {
  annotationsFrom,
  ColumnFrame,
  containerMemorySeries,
  containersTable,
  NodeInfo,
  nodesRunning,
  nodesTable,
  Notice,
  notice,
  parseNodeList,
  TimeRange,
} from '../core';
import { diagnoseRows, diagnosisTable, recommendationsTable, runtimeHeapFromAnnotations } from '../core/diagnosis';
import { HeadroomQuery, QueryType } from '../types';
import { collectSnapshot, listPods, readSummaries } from './cluster-snapshot';
import { readContainerRows } from './container-rows';
import { InterpolatedScope } from './interpolate';
import { KubeClient } from './kube-client';
import { nodeListPath } from './kube-paths';
import { KubeRequestError } from './kube-request-error';
import { Settings } from './settings';

export interface QueryContext {
  client: KubeClient;
  settings: Settings;
  range: TimeRange;
}

/**
 * Runs one query of any type and returns core's plain frames; never rejects for a cluster failure (a failed read is a
 * notice on the frame).
 */
export async function queryFrames(
  query: HeadroomQuery,
  scope: InterpolatedScope,
  context: QueryContext
): Promise<ColumnFrame[]> {
  const { client, settings, range } = context;
  const refId = query.refId;
  const includeSidecars = query.includeSidecars ?? true;

  switch (query.queryType ?? QueryType.Containers) {
    case QueryType.Containers: {
      const { rows, notices } = await readContainerRows(client, settings, scope, range, includeSidecars);
      return [containersTable(rows, { refId, notices })];
    }
    case QueryType.ContainerMemory: {
      const { rows, notices } = await readContainerRows(client, settings, scope, range, includeSidecars);
      return containerMemorySeries(rows, { refId, notices });
    }
    case QueryType.Nodes:
      return [await nodesFrame(scope, context, refId)];
    case QueryType.Diagnosis:
    case QueryType.Recommendations: {
      const { rows, pods, notices } = await readContainerRows(client, settings, scope, range, includeSidecars);
      const annotations = new Map((pods ?? []).map((p) => [`${p.namespace}/${p.name}`, p.annotations]));
      const { diagnoses, sized } = diagnoseRows(rows, range.toMs, (row) => ({
        runtimeHeap: runtimeHeapFromAnnotations(annotations.get(`${row.namespace}/${row.pod}`) ?? {}, row.container),
      }));
      if (!includeSidecars || rows.every((r) => r.sidecar === null)) {
        notices.push(
          notice('info', 'no peak sidecar answered for these containers: verdicts rest on sampled values only')
        );
      }
      const frame =
        query.queryType === QueryType.Diagnosis
          ? diagnosisTable(diagnoses, notices)
          : recommendationsTable(sized, notices);
      return [{ ...frame, refId }];
    }
    default:
      return [{ refId, fields: [], notices: [notice('error', `unknown query type "${String(query.queryType)}"`)] }];
  }
}

/**
 * The nodes table: the nodes running the selected pods when the query names a namespace, labels or pods; the picked
 * node; or every node in the node list.
 */
async function nodesFrame(scope: InterpolatedScope, context: QueryContext, refId: string): Promise<ColumnFrame> {
  const { client, settings } = context;
  const notices: Notice[] = [];

  let nodes: NodeInfo[] | null = null;
  try {
    const parsed = parseNodeList(await client.get(nodeListPath(), 'the node list'));
    nodes = parsed.nodes;
    notices.push(...parsed.notices);
  } catch (error) {
    notices.push(notice('warning', messageOf(error)));
  }

  let names: string[];
  if (scope.namespace || scope.labelSelector || scope.pod) {
    const listed = await listPods(client, scope, notices);
    names = listed ? nodesRunning(listed.pods) : [];
  } else if (scope.node) {
    names = scope.node
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
  } else {
    names = (nodes ?? []).map((n) => n.name);
  }
  const wanted = new Set(names);

  const summaries = await readSummaries(client, settings, names, notices);
  const shown = nodes ? nodes.filter((n) => wanted.has(n.name)) : null;
  return nodesTable(summaries, shown, { refId, notices });
}

/**
 * OOM kills, terminations and restarts of the selected pods, as Grafana's annotation frame; with peak sidecars, every
 * OOM kill and limit hit the kernel counted.
 */
export async function annotationFrame(
  scope: InterpolatedScope,
  context: QueryContext,
  refId: string,
  includeSidecars = true
): Promise<ColumnFrame> {
  const snapshot = await collectSnapshot(context.client, context.settings, {
    scope: { namespace: scope.namespace, labelSelector: scope.labelSelector, pod: scope.pod, node: scope.node },
    range: context.range,
    includeSidecars,
    includeSummaries: false,
  });
  const frame = annotationsFrom(snapshot.pods ?? [], context.range, refId, snapshot.sidecars);
  return { ...frame, notices: [...frame.notices, ...snapshot.notices] };
}

function messageOf(error: unknown): string {
  return error instanceof KubeRequestError || error instanceof Error ? error.message : String(error);
}
