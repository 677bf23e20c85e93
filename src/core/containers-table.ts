// The containers table: one row per container, the figures a person compares when a container was OOM-killed.
import { ContainerRow } from './containers';
import { Column, ColumnFrame } from './frame';
import { Notice } from './notice';

export interface TableOptions {
  refId?: string;
  /** Frame-level notices (a node that did not answer, a pod list that could not be read). */
  notices?: Notice[];
}

/** Builds the containers table frame; missing values stay null and each row's reasons go in `notes`. */
export function containersTable(rows: readonly ContainerRow[], options: TableOptions = {}): ColumnFrame {
  const n = rows.length;
  const columns = {
    namespace: column('namespace', 'string', n, { displayName: 'Namespace' }),
    pod: column('pod', 'string', n, { displayName: 'Pod' }),
    container: column('container', 'string', n, { displayName: 'Container' }),
    node: column('node', 'string', n, { displayName: 'Node' }),
    qosClass: column('qosClass', 'string', n, { displayName: 'QoS class' }),
    limit: column('limit', 'number', n, { unit: 'bytes', displayName: 'Limit' }),
    limitSource: column('limitSource', 'string', n, { displayName: 'Limit from' }),
    request: column('request', 'number', n, { unit: 'bytes', displayName: 'Request' }),
    usage: column('usage', 'number', n, { unit: 'bytes', displayName: 'Usage' }),
    workingSet: column('workingSet', 'number', n, { unit: 'bytes', displayName: 'Working set' }),
    rss: column('rss', 'number', n, { unit: 'bytes', displayName: 'RSS' }),
    inactiveFile: column('inactiveFile', 'number', n, { unit: 'bytes', displayName: 'Inactive file' }),
    headroom: column('headroom', 'number', n, { unit: 'bytes', displayName: 'Headroom' }),
    workingSetToLimit: column('workingSetToLimit', 'number', n, {
      unit: 'percentunit',
      displayName: 'Working set / limit',
    }),
    restarts: column('restarts', 'number', n, { displayName: 'Restarts' }),
    lastTerminationReason: column('lastTerminationReason', 'string', n, {
      displayName: 'Last termination',
      emphasize: { OOMKilled: 'red' },
    }),
    lastTerminationTime: column('lastTerminationTime', 'time', n, { displayName: 'Last termination time' }),
    startTime: column('startTime', 'time', n, { displayName: 'Started' }),
    peak: column('peak', 'number', n, { unit: 'bytes', displayName: 'Peak' }),
    lifetimePeak: column('lifetimePeak', 'number', n, { unit: 'bytes', displayName: 'Lifetime peak' }),
    peakToLimit: column('peakToLimit', 'number', n, { unit: 'percentunit', displayName: 'Peak / limit' }),
    peakMethod: column('peakMethod', 'string', n, { displayName: 'Peak method' }),
    limitHits: column('limitHits', 'number', n, { displayName: 'Limit hits' }),
    oomKills: column('oomKills', 'number', n, { displayName: 'OOM kills' }),
    anon: column('anon', 'number', n, { unit: 'bytes', displayName: 'Anon' }),
    file: column('file', 'number', n, { unit: 'bytes', displayName: 'File' }),
    kernel: column('kernel', 'number', n, { unit: 'bytes', displayName: 'Kernel' }),
    allocatorAllocated: column('allocatorAllocated', 'number', n, { unit: 'bytes', displayName: 'Allocator live' }),
    allocatorResident: column('allocatorResident', 'number', n, { unit: 'bytes', displayName: 'Allocator resident' }),
    threads: column('threads', 'number', n, { displayName: 'Threads' }),
    notes: column('notes', 'string', n, { displayName: 'Notes' }),
  };

  for (let i = 0; i < n; i++) {
    const row = rows[i];
    const sidecar = row.sidecar;
    columns.namespace.values[i] = row.namespace;
    columns.pod.values[i] = row.pod;
    columns.container.values[i] = row.container;
    columns.node.values[i] = row.node;
    columns.qosClass.values[i] = row.qosClass;
    columns.limit.values[i] = row.limitBytes;
    columns.limitSource.values[i] =
      row.limitBytes === null ? (row.unlimited ? 'unlimited' : 'unknown') : row.limitSource;
    columns.request.values[i] = row.requestBytes;
    columns.usage.values[i] = row.usageBytes;
    columns.workingSet.values[i] = row.workingSetBytes;
    columns.rss.values[i] = row.rssBytes;
    columns.inactiveFile.values[i] = row.inactiveFileBytes;
    columns.headroom.values[i] = row.headroomBytes;
    columns.workingSetToLimit.values[i] = row.workingSetToLimit;
    columns.restarts.values[i] = row.restartCount;
    columns.lastTerminationReason.values[i] = row.lastTerminationReason;
    columns.lastTerminationTime.values[i] = row.lastTerminationMs;
    columns.startTime.values[i] = row.startTimeMs;
    columns.peak.values[i] = sidecar?.peakBytes ?? null;
    columns.lifetimePeak.values[i] = sidecar?.lifetimePeakBytes ?? null;
    columns.peakToLimit.values[i] = row.peakToLimit;
    columns.peakMethod.values[i] = sidecar?.method ?? null;
    columns.limitHits.values[i] = sidecar ? sidecar.limitHits : null;
    columns.oomKills.values[i] = sidecar?.oomKills ?? null;
    columns.anon.values[i] = sidecar?.anonBytes ?? null;
    columns.file.values[i] = sidecar?.fileBytes ?? null;
    columns.kernel.values[i] = sidecar?.kernelBytes ?? null;
    columns.allocatorAllocated.values[i] = sidecar?.allocatorAllocatedBytes ?? null;
    columns.allocatorResident.values[i] = sidecar?.allocatorResidentBytes ?? null;
    columns.threads.values[i] = sidecar?.threads ?? null;
    columns.notes.values[i] = row.notes.join('; ');
  }

  return {
    name: 'containers',
    refId: options.refId,
    fields: Object.values(columns),
    notices: options.notices ?? [],
  };
}

function column(name: string, type: Column['type'], length: number, extra: Partial<Column>): Column {
  return { name, type, values: new Array(length), ...extra };
}
