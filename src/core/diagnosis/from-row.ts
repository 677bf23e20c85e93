/**
 * Builds a diagnosis input from what the data source joined for a container: the kubelet's row and, where a peak
 * sidecar watches it, the sidecar's windows.
 */
import type { ContainerRow } from '../containers';
import { ByteSample, DiagnosisInput, PeakSample, RuntimeHeap } from './types';

/** Scrape interval that sampled monitoring is assumed to have (the kubelet's and common Prometheus setups). */
export const SAMPLED_INTERVAL_MS = 15_000;

/** Settings the pod spec does not hold, given by the operator (for example a JVM's `-Xmx`). */
export interface ContainerSettings {
  runtimeHeap?: RuntimeHeap | null;
}

/**
 * What a 15 s sampler would have read of the working set: the last value of the window that ends each 15 s step.
 * Without a sidecar it is the kubelet's single current reading.
 */
function sampledWorkingSet(row: ContainerRow, nowMs: number): ByteSample[] {
  const windows = row.sidecar?.windows ?? [];
  const out: ByteSample[] = [];
  let nextMs = -Infinity;
  for (const w of windows) {
    if (w.workingSetBytes !== null && w.endMs >= nextMs) {
      out.push({ timeMs: w.endMs, bytes: w.workingSetBytes });
      nextMs = Math.floor(w.endMs / SAMPLED_INTERVAL_MS) * SAMPLED_INTERVAL_MS + SAMPLED_INTERVAL_MS;
    }
  }
  if (out.length === 0 && row.workingSetBytes !== null) {
    // A reading without a time is a current one: at 0 (1970) it would count as a startup peak.
    out.push({ timeMs: row.timeMs ?? nowMs, bytes: row.workingSetBytes });
  }
  return out;
}

function peaks(row: ContainerRow): PeakSample[] {
  const out: PeakSample[] = [];
  for (const w of row.sidecar?.windows ?? []) {
    if (w.peakBytes !== null) {
      out.push({ timeMs: w.endMs, peakBytes: w.peakBytes, exact: w.peakExact });
    }
  }
  return out;
}

/** One container's diagnosis input; `pod` holds the rows of the same pod, the container itself included. */
export function diagnosisInputFromRow(
  row: ContainerRow,
  pod: readonly ContainerRow[],
  nowMs: number,
  settings: ContainerSettings = {}
): DiagnosisInput {
  const s = row.sidecar;
  const unreclaimable: ByteSample[] =
    s?.unreclaimableBytes != null ? [{ timeMs: s.timeMs, bytes: s.unreclaimableBytes }] : [];

  return {
    namespace: row.namespace,
    pod: row.pod,
    container: row.container,
    limitBytes: row.limitBytes,
    requestBytes: row.requestBytes,
    startedMs: row.startTimeMs,
    nowMs,
    peaks: peaks(row),
    sampledWorkingSet: sampledWorkingSet(row, nowMs),
    lifetimePeakBytes: s?.lifetimePeakBytes ?? null,
    memory: {
      usageBytes: s?.usageBytes ?? row.usageBytes,
      workingSetBytes: s?.workingSetBytes ?? row.workingSetBytes,
      anonBytes: s?.anonBytes ?? null,
      fileBytes: s?.fileBytes ?? null,
      inactiveFileBytes: s?.inactiveFileBytes ?? row.inactiveFileBytes,
      kernelBytes: s?.kernelBytes ?? null,
      slabReclaimableBytes: s?.slabReclaimableBytes ?? null,
      sockBytes: null,
    },
    // Known gap: the sidecar's windows carry usage and working set, not unreclaimable memory, so growth is judged
    // from Prometheus history (the HeadroomTimeToLimit rule), not here; one current point gives no slope.
    unreclaimable,
    threads: s?.threads ?? null,
    threadSamples: [],
    allocator:
      s && s.allocatorAllocatedBytes !== null && s.allocatorResidentBytes !== null
        ? [{ timeMs: s.timeMs, allocatedBytes: s.allocatorAllocatedBytes, residentBytes: s.allocatorResidentBytes }]
        : [],
    oomKills: (s?.oomKills ?? 0) + (row.oomKilled && !s?.oomKills ? 1 : 0),
    limitHits: s?.limitHits ?? 0,
    restarts: row.restartCount ?? 0,
    lastTerminationReason: row.lastTerminationReason,
    runtimeHeap: settings.runtimeHeap ?? null,
    siblings: pod
      .filter((other) => other !== row && other.container !== row.container)
      .map((other) => ({
        container: other.container,
        limitBytes: other.limitBytes,
        workingSetBytes: other.workingSetBytes,
        peakBytes: other.sidecar?.peakBytes ?? null,
      })),
  };
}

/**
 * Groups rows by pod, so each container is diagnosed beside its siblings. A row whose pod is unknown (a cgroup the
 * sidecar could not name) stands alone: unnamed cgroups are not siblings of each other.
 */
export function rowsByPod(rows: readonly ContainerRow[]): Map<string, ContainerRow[]> {
  const byPod = new Map<string, ContainerRow[]>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const key = row.pod === '' ? `\u0000${i}` : `${row.namespace}/${row.pod}`;
    const list = byPod.get(key);
    if (list) {
      list.push(row);
    } else {
      byPod.set(key, [row]);
    }
  }
  return byPod;
}
