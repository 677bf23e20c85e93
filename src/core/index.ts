/**
 * Headroom's pure computation, the API the data source adapter calls. Nothing here imports Grafana, React, the DOM or
 * Node: inputs are parsed JSON bodies, outputs are plain rows and frame-shaped objects (`ColumnFrame`) that the adapter
 * turns into Grafana data frames with `createDataFrame`, its notices into `meta.notices`.
 *
 * Typical flow for a query:
 * 1. `planPodList(scope)` → fetch each request's `url`, `parsePodList(body)` each answer.
 * 2. `nodesRunning(pods)` → fetch `summaryPath(node, via)` for each, `parseSummary(body, node)` each answer.
 * 3. Sidecars: `parseSidecarResponse(body, source)`.
 * 4. `joinContainers({ summaries, pods, sidecars, range, filter })` → `containersTable(rows)` or
 *    `containerMemorySeries(rows)`; live mode keeps points with `mergeSeries(previous, next, keep)`.
 * Nodes: `parseNodeList(body)` + summaries → `nodesTable`. Annotations: `annotationsFrom(pods, range)`.
 * Variables: `variableValues(kind, pods, filter)`.
 */
export type { Notice, NoticeSeverity } from './notice';
export { notice } from './notice';

export type { Column, ColumnFrame, ColumnFrameMeta, ColumnType, ColumnValue } from './frame';
export { frameLength } from './frame';

export type { TimeRange } from './time-range';
export { inRange } from './time-range';
export { parseTimeMs } from './timestamp';
export { parseQuantityBytes } from './quantity';

export {
  DEFAULT_EVICTION_HARD_BYTES,
  MiB,
  evictionDistanceBytes,
  headroomBytes,
  inactiveFileBytes,
  limitFromAvailable,
  peakHeadroomBytes,
  ratioToLimit,
} from './headroom';

export type { ContainerStats, MemoryStats, NodeSummary, PodStats, SummaryResult } from './kubelet-summary';
export { parseSummary } from './kubelet-summary';

export type { ContainerStateName, PodContainer, PodInfo, PodListResult, Termination } from './pod-list';
export { parsePod, parsePodList } from './pod-list';

export type { NodeInfo, NodeListResult } from './node-list';
export { parseNodeList } from './node-list';

export type { SidecarResponseResult } from './sidecar-response';
export { parseSidecarResponse } from './sidecar-response';

export type { SidecarFigures } from './sidecar-figures';
export { sidecarFigures } from './sidecar-figures';

export type { ContainerFilter, ContainerRow, JoinInput, LimitSource } from './containers';
export { joinContainers } from './containers';

export type { TableOptions } from './containers-table';
export { containersTable } from './containers-table';

export type { SeriesOptions } from './container-series';
export { TIMESERIES_MULTI, containerMemorySeries, seriesName } from './container-series';

export type { KeepPolicy } from './merge-series';
export { mergeSeries } from './merge-series';

export type { NodesTableOptions } from './nodes-table';
export { nodesTable } from './nodes-table';

export type { AnnotationEvent } from './annotations';
export { annotationEvents, annotationsFrom } from './annotations';

export type { VariableFilter, VariableKind } from './variables';
export { variableValues } from './variables';

export type { PodListPlan, PodListRequest, PodScope } from './pod-scope';
export { isValidNodeName, nodesRunning, planPodList, summaryPath } from './pod-scope';
