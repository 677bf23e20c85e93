// The join at the heart of Headroom: kubelet stats, pod specs and sidecar peaks, one row per container. A container is
// always compared with its own limit; a pod's total is never set against one container's limit.
import {
  headroomBytes as headroomOf,
  inactiveFileBytes as inactiveFileOf,
  limitFromAvailable,
  peakHeadroomBytes,
  ratioToLimit,
} from './headroom';
import { ContainerStats, NodeSummary, PodStats } from './kubelet-summary';
import { PodContainer, PodInfo } from './pod-list';
import { PodIndex } from './pod-index';
import { ContainersResponse, SidecarContainer } from './sidecar-api';
import { SidecarFigures, sidecarFigures } from './sidecar-figures';
import { TimeRange } from './time-range';

/**
 * Where a row's limit comes from, best first: the pod spec; the sidecar's reading of the cgroup; the kubelet's
 * `availableBytes + workingSetBytes`; or none (unlimited, or unknown: see the row's notes).
 */
export type LimitSource = 'spec' | 'sidecar' | 'available' | 'none';

/** One container, everything Headroom knows about it. A missing value is null and `notes` say why. */
export interface ContainerRow {
  namespace: string;
  pod: string;
  podUid: string | null;
  container: string;
  node: string | null;
  qosClass: string | null;
  init: boolean;
  /** When the kubelet sampled the stats (or the sidecar read them, when the kubelet has none). */
  timeMs: number | null;
  /** When the current run of the container started. */
  startTimeMs: number | null;

  limitBytes: number | null;
  limitSource: LimitSource;
  /** True when the container has no memory limit at all (not merely an unknown one). */
  unlimited: boolean;
  requestBytes: number | null;

  usageBytes: number | null;
  workingSetBytes: number | null;
  rssBytes: number | null;
  availableBytes: number | null;
  inactiveFileBytes: number | null;
  /** Limit − working set; negative when over the limit. */
  headroomBytes: number | null;
  /** Working set / limit, above 1 when over the limit. */
  workingSetToLimit: number | null;

  /** Sidecar's highest window peak in range / limit. */
  peakToLimit: number | null;
  /** Limit − sidecar's highest window peak in range. */
  peakHeadroomBytes: number | null;

  restartCount: number | null;
  lastTerminationReason: string | null;
  lastTerminationMs: number | null;
  lastExitCode: number | null;
  /** The last termination was the kernel's OOM killer. */
  oomKilled: boolean;
  containerId: string | null;

  sidecar: SidecarFigures | null;
  notes: string[];
}

/**
 * Filters applied to every row, after the join. Empty or missing means "any".
 * Known gap: a label selector cannot be applied here (summaries and sidecars carry no labels); it scopes the pod list,
 * so without a pod list it has no effect.
 */
export interface ContainerFilter {
  namespace?: string;
  pod?: string;
  container?: string;
  node?: string;
}

export interface JoinInput {
  /** Kubelet summaries of the nodes asked. */
  summaries: readonly NodeSummary[];
  /**
   * The pods in scope. When given, it decides which pods appear (a summary lists every pod of its node). Null when the
   * pod list could not be read: rows then come from the summaries and sidecars alone, without specs.
   */
  pods: readonly PodInfo[] | null;
  sidecars?: readonly ContainersResponse[];
  /** Range for sidecar peaks, limit hits and OOM kills; null means everything the sidecars returned. */
  range?: TimeRange | null;
  filter?: ContainerFilter;
}

interface SummaryEntry {
  pod: PodStats;
  container: ContainerStats;
  node: string;
}

/** A pod in the summaries, with which of its containers a pod spec has claimed. */
interface SummaryPod {
  pod: PodStats;
  node: string;
  claimed: boolean[] | null;
  inScope: boolean;
}

/** A pod's sidecar-watched containers, and whether the pod is in the query's scope. */
interface SidecarPod {
  entries: SidecarEntry[];
  inScope: boolean;
}

interface SidecarEntry {
  pod: SidecarPod;
  container: string | null;
  instances: SidecarContainer[];
  node: string | null;
  used: boolean;
}

/**
 * Joins kubelet summaries, pod specs and sidecar answers into one row per container. Pods are matched by UID (or
 * namespace and name), containers by name within their pod; linear in the number of containers.
 */
// Known gap: 100,000 containers take about 570 ms with the table (`npm run bench:transform`), over the 300 ms aim; most
// of it is allocating and collecting one row object per container, which a columnar join would avoid.
export function joinContainers(input: JoinInput): ContainerRow[] {
  const range = input.range ?? null;
  const filter = input.filter ?? {};

  const summaryPods = new PodIndex<SummaryPod>();
  const summaryList: SummaryPod[] = [];
  for (const summary of input.summaries) {
    for (const pod of summary.pods) {
      const entry: SummaryPod = { pod, node: summary.nodeName, claimed: null, inScope: false };
      summaryList.push(entry);
      summaryPods.add(pod.uid, pod.namespace, pod.name, entry);
    }
  }

  const sidecarPods = new PodIndex<SidecarPod>();
  const sidecarList: SidecarEntry[] = [];
  for (const response of input.sidecars ?? []) {
    for (const instance of response.containers) {
      const { podUid, namespace, pod, container } = instance.identity;
      let sidecarPod = sidecarPods.get(podUid, namespace, pod);
      if (!sidecarPod) {
        sidecarPod = { entries: [], inScope: false };
        sidecarPods.add(podUid, namespace, pod, sidecarPod);
      }
      const entries = sidecarPod.entries;
      const existing = container === null ? undefined : entries.find((e) => e.container === container);
      if (existing) {
        existing.instances.push(instance);
        continue;
      }
      const entry: SidecarEntry = {
        container,
        instances: [instance],
        node: response.node,
        used: false,
        pod: sidecarPod,
      };
      entries.push(entry);
      sidecarList.push(entry);
    }
  }

  const hasSidecars = sidecarList.length > 0;
  const rows: ContainerRow[] = [];
  const withoutPods = input.pods === null;
  for (const pod of input.pods ?? []) {
    const uid = pod.uid || null;
    const summaryPod = summaryPods.get(uid, pod.namespace, pod.name) ?? null;
    const sidecarPod = hasSidecars ? (sidecarPods.get(uid, pod.namespace, pod.name) ?? null) : null;
    const sidecars = sidecarPod?.entries ?? null;
    if (summaryPod) {
      summaryPod.inScope = true;
    }
    if (sidecarPod) {
      sidecarPod.inScope = true;
    }

    for (const spec of pod.containers) {
      const stats = summaryPod ? claimContainer(summaryPod, spec.name) : null;
      const sidecar = sidecars ? claimSidecar(sidecars, spec.name) : null;
      // Init containers have stats only while they run; a finished one is not worth a row.
      if (spec.init && !stats && !sidecar) {
        continue;
      }
      rows.push(buildRow(pod, spec, stats, sidecar, range));
    }
  }

  // Containers the pod list does not know: all of them when there is no pod list, otherwise those of pods in scope
  // whose spec lacks the container (a pod list older than the stats).
  for (const summaryPod of summaryList) {
    if (!withoutPods && !summaryPod.inScope) {
      continue;
    }
    const { pod } = summaryPod;
    let sidecars: SidecarEntry[] | null | undefined;
    for (let i = 0; i < pod.containers.length; i++) {
      if (summaryPod.claimed?.[i]) {
        continue;
      }
      const container = pod.containers[i];
      if (sidecars === undefined) {
        sidecars = hasSidecars ? (sidecarPods.get(pod.uid, pod.namespace, pod.name)?.entries ?? null) : null;
      }
      const sidecar = sidecars ? claimSidecar(sidecars, container.name) : null;
      rows.push(buildRow(null, null, { pod, container, node: summaryPod.node }, sidecar, range, pod));
    }
  }
  for (const entry of sidecarList) {
    if (entry.used) {
      continue;
    }
    if (withoutPods || entry.pod.inScope) {
      rows.push(buildRow(null, null, null, entry, range));
    }
  }

  return filterRows(rows, filter);
}

function claimContainer(summaryPod: SummaryPod, name: string): SummaryEntry | null {
  const containers = summaryPod.pod.containers;
  for (let i = 0; i < containers.length; i++) {
    if (containers[i].name === name) {
      summaryPod.claimed = summaryPod.claimed ?? new Array(containers.length).fill(false);
      summaryPod.claimed[i] = true;
      return { pod: summaryPod.pod, container: containers[i], node: summaryPod.node };
    }
  }
  return null;
}

function claimSidecar(entries: SidecarEntry[], name: string): SidecarEntry | null {
  for (const entry of entries) {
    if (entry.container === name) {
      entry.used = true;
      return entry;
    }
  }
  return null;
}

function filterRows(rows: ContainerRow[], filter: ContainerFilter): ContainerRow[] {
  const { namespace, pod, container, node } = filter;
  if (!namespace && !pod && !container && !node) {
    return rows;
  }
  return rows.filter(
    (row) =>
      (!namespace || row.namespace === namespace) &&
      (!pod || row.pod === pod) &&
      (!container || row.container === container) &&
      (!node || row.node === node)
  );
}

function buildRow(
  pod: PodInfo | null,
  spec: PodContainer | null,
  stats: SummaryEntry | null,
  sidecarEntry: SidecarEntry | null,
  range: TimeRange | null,
  statsPod?: PodStats
): ContainerRow {
  const notes: string[] = [];
  const memory = stats?.container.memory ?? null;
  const sidecar = sidecarEntry ? sidecarFigures(sidecarEntry.instances, range) : null;
  const identity = sidecarEntry?.instances[0].identity;

  if (!stats) {
    notes.push('no kubelet stats for this container');
  } else if (stats.container.notes.length > 0) {
    notes.push(...stats.container.notes);
  }
  if (spec && spec.notes.length > 0) {
    notes.push(...spec.notes);
  }

  // Usage and working set: the kubelet's, or the sidecar's when the kubelet has none.
  let usageBytes = memory?.usageBytes ?? null;
  let workingSetBytes = memory?.workingSetBytes ?? null;
  let timeMs = memory?.timeMs ?? null;
  if (sidecar && workingSetBytes === null && sidecar.workingSetBytes !== null) {
    usageBytes = sidecar.usageBytes;
    workingSetBytes = sidecar.workingSetBytes;
    timeMs = sidecar.timeMs;
    notes.push('usage and working set from the sidecar');
  }
  const availableBytes = memory?.availableBytes ?? null;

  const limit = chooseLimit(spec, sidecar, availableBytes, workingSetBytes, stats !== null, notes);
  const termination = spec?.lastTermination ?? null;
  if (sidecar && sidecar.notices.length > 0) {
    notes.push(...sidecar.notices);
  }

  const headroomBytes = headroomOf(limit.bytes, workingSetBytes);
  const peakBytes = sidecar?.peakBytes ?? null;
  return {
    namespace: pod?.namespace ?? statsPod?.namespace ?? identity?.namespace ?? '',
    pod: pod?.name ?? statsPod?.name ?? identity?.pod ?? '',
    podUid: pod?.uid || statsPod?.uid || identity?.podUid || null,
    container: spec?.name ?? stats?.container.name ?? identity?.container ?? identity?.cgroupPath ?? '',
    node: pod?.nodeName ?? stats?.node ?? sidecarEntry?.node ?? null,
    qosClass: pod?.qosClass ?? null,
    init: spec?.init ?? false,
    timeMs,
    startTimeMs: spec?.startedAtMs ?? stats?.container.startTimeMs ?? null,
    limitBytes: limit.bytes,
    limitSource: limit.source,
    unlimited: limit.unlimited,
    requestBytes: spec?.requestBytes ?? null,
    usageBytes,
    workingSetBytes,
    rssBytes: memory?.rssBytes ?? null,
    availableBytes,
    inactiveFileBytes: inactiveFileOf(usageBytes, workingSetBytes),
    headroomBytes,
    workingSetToLimit: ratioToLimit(workingSetBytes, limit.bytes),
    peakToLimit: ratioToLimit(peakBytes, limit.bytes),
    peakHeadroomBytes: peakHeadroomBytes(limit.bytes, peakBytes),
    restartCount: spec?.restartCount ?? null,
    lastTerminationReason: termination?.reason ?? null,
    lastTerminationMs: termination?.finishedAtMs ?? null,
    lastExitCode: termination?.exitCode ?? null,
    oomKilled: termination?.oomKilled ?? false,
    containerId: spec?.containerId ?? sidecar?.id ?? null,
    sidecar,
    notes,
  };
}

interface ChosenLimit {
  bytes: number | null;
  source: LimitSource;
  unlimited: boolean;
}

function chooseLimit(
  spec: PodContainer | null,
  sidecar: SidecarFigures | null,
  availableBytes: number | null,
  workingSetBytes: number | null,
  hasStats: boolean,
  notes: string[]
): ChosenLimit {
  if (spec && spec.limitBytes !== null) {
    return { bytes: spec.limitBytes, source: 'spec', unlimited: false };
  }
  // A spec without a limit means unlimited, unless its limit was there but unreadable (then it is unknown).
  const specSaysUnlimited =
    spec !== null && (spec.notes.length === 0 || !spec.notes.some((note) => note.startsWith('memory limit')));
  if (specSaysUnlimited) {
    notes.push('no memory limit in the pod spec: unlimited, so no headroom');
    return { bytes: null, source: 'none', unlimited: true };
  }

  if (sidecar) {
    if (sidecar.limitBytes !== null) {
      notes.push('limit read from the cgroup by the sidecar');
      return { bytes: sidecar.limitBytes, source: 'sidecar', unlimited: false };
    }
    notes.push('the cgroup has no memory limit: unlimited, so no headroom');
    return { bytes: null, source: 'none', unlimited: true };
  }

  const derived = limitFromAvailable(availableBytes, workingSetBytes);
  if (derived !== null) {
    notes.push('limit derived from the kubelet: available + working set');
    return { bytes: derived, source: 'available', unlimited: false };
  }
  if (availableBytes !== null) {
    notes.push('a limit is set but unknown: the working set was not measured');
  } else if (hasStats && workingSetBytes !== null) {
    notes.push('no limit: the kubelet reports no available bytes, so no headroom');
    return { bytes: null, source: 'none', unlimited: true };
  } else {
    notes.push('limit unknown');
  }
  return { bytes: null, source: 'none', unlimited: false };
}
