// The nodes table: how close each node is to the kubelet's memory eviction.
import { Column, ColumnFrame } from './frame';
import { DEFAULT_EVICTION_HARD_BYTES, evictionDistanceBytes, ratioToLimit } from './headroom';
import { NodeSummary } from './kubelet-summary';
import { NodeInfo } from './node-list';
import { Notice } from './notice';

export interface NodesTableOptions {
  refId?: string;
  notices?: Notice[];
  /** The kubelet's `memory.available` hard eviction threshold; 100 MiB by default. */
  evictionHardBytes?: number;
}

/**
 * One row per node, from the summaries and the node list (either may lack a node): working set, available, allocatable,
 * bytes above the hard eviction threshold, working set / allocatable, and the MemoryPressure condition.
 */
export function nodesTable(
  summaries: readonly NodeSummary[],
  nodes: readonly NodeInfo[] | null,
  options: NodesTableOptions = {}
): ColumnFrame {
  const threshold = options.evictionHardBytes ?? DEFAULT_EVICTION_HARD_BYTES;
  const summaryByName = new Map(summaries.map((s) => [s.nodeName, s]));
  const infoByName = new Map((nodes ?? []).map((n) => [n.name, n]));
  const names = [...new Set([...(nodes ?? []).map((n) => n.name), ...summaries.map((s) => s.nodeName)])];

  const col = (name: string, type: Column['type'], displayName: string, unit?: string): Column => ({
    name,
    type,
    displayName,
    unit,
    values: [],
  });
  const node = col('node', 'string', 'Node');
  const usage = col('usage', 'number', 'Usage', 'bytes');
  const workingSet = col('workingSet', 'number', 'Working set', 'bytes');
  const available = col('available', 'number', 'Available', 'bytes');
  const allocatable = col('allocatable', 'number', 'Allocatable', 'bytes');
  const capacity = col('capacity', 'number', 'Capacity', 'bytes');
  const podsWorkingSet = col('podsWorkingSet', 'number', 'Pods working set', 'bytes');
  const eviction = col('evictionDistance', 'number', 'Above eviction threshold', 'bytes');
  const toAllocatable = col('podsToAllocatable', 'number', 'Pods / allocatable', 'percentunit');
  const pressure = col('memoryPressure', 'boolean', 'Memory pressure');
  const time = col('time', 'time', 'Sampled');
  const notes = col('notes', 'string', 'Notes');

  for (const name of names) {
    const summary = summaryByName.get(name);
    const info = infoByName.get(name);
    const memory = summary?.memory;
    const pods = summary?.systemContainers.find((c) => c.name === 'pods')?.memory.workingSetBytes ?? null;
    const rowNotes: string[] = [];
    if (!summary) {
      rowNotes.push('no stats summary from this node');
    } else if (memory?.availableBytes === null) {
      rowNotes.push('the kubelet reports no available memory: eviction distance unknown');
    }
    if (!info) {
      rowNotes.push(nodes === null ? 'node list unavailable' : 'not in the node list');
    }

    node.values.push(name);
    usage.values.push(memory?.usageBytes ?? null);
    workingSet.values.push(memory?.workingSetBytes ?? null);
    available.values.push(memory?.availableBytes ?? null);
    allocatable.values.push(info?.allocatableBytes ?? null);
    capacity.values.push(info?.capacityBytes ?? null);
    podsWorkingSet.values.push(pods);
    eviction.values.push(evictionDistanceBytes(memory?.availableBytes ?? null, threshold));
    toAllocatable.values.push(ratioToLimit(pods, info?.allocatableBytes ?? null));
    pressure.values.push(info?.memoryPressure ?? null);
    time.values.push(memory?.timeMs ?? null);
    notes.values.push(rowNotes.join('; '));
  }

  return {
    name: 'nodes',
    refId: options.refId,
    fields: [
      node,
      time,
      usage,
      workingSet,
      available,
      allocatable,
      capacity,
      podsWorkingSet,
      eviction,
      toAllocatable,
      pressure,
      notes,
    ],
    notices: options.notices ?? [],
  };
}
