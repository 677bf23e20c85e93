/**
 * What the diagnosis reads and what it answers. Everything here is plain data: the data source and the command line
 * build a `DiagnosisInput` from what the kubelet, the pod spec and the peak sidecar report.
 *
 * Bytes are bytes, times are milliseconds since the epoch, ratios are 0–1. `null` means unknown, never 0.
 */

/** One point of a memory series. */
export interface ByteSample {
  timeMs: number;
  bytes: number;
}

/** A window's highest charge, as the peak sidecar measured it. */
export interface PeakSample {
  timeMs: number;
  peakBytes: number;
  /** The kernel's own high-water mark (no spike between samples can be missed). */
  exact: boolean;
}

/** Threads and anonymous memory seen together (from the sidecar, or from a load test at two thread counts). */
export interface ThreadSample {
  threads: number;
  anonBytes: number;
}

/** Allocator figures over time (jemalloc `stats.allocated` / `stats.resident`, glibc `uordblks`). */
export interface AllocatorSample {
  timeMs: number;
  allocatedBytes: number;
  residentBytes: number;
}

/** A managed runtime's configured heap (JVM `-Xmx`, .NET `GCHeapHardLimit`, Node `--max-old-space-size`). */
export interface RuntimeHeap {
  heapMaxBytes: number;
  /** Memory the runtime uses outside the heap (metaspace, code cache, thread stacks, direct buffers). */
  nonHeapBytes: number;
}

/** Another container of the same pod, each judged against its own limit. */
export interface SiblingContainer {
  container: string;
  limitBytes: number | null;
  workingSetBytes: number | null;
  peakBytes: number | null;
}

/** Current composition of the container's memory. */
export interface MemoryNow {
  usageBytes: number | null;
  workingSetBytes: number | null;
  anonBytes: number | null;
  fileBytes: number | null;
  inactiveFileBytes: number | null;
  kernelBytes: number | null;
  slabReclaimableBytes: number | null;
  sockBytes: number | null;
}

export interface DiagnosisInput {
  namespace: string | null;
  pod: string | null;
  container: string | null;
  limitBytes: number | null;
  requestBytes: number | null;
  /** Container start (pod status, or the kubelet summary when the spec is unknown). */
  startedMs: number | null;
  /** End of the observed period. */
  nowMs: number;
  /** Window peaks from the sidecar, oldest first; empty when no sidecar watches the container. */
  peaks: PeakSample[];
  /** What sampled monitoring saw (kubelet, metrics-server, Prometheus scrapes) of the working set, oldest first. */
  sampledWorkingSet: ByteSample[];
  /** Highest charge since the cgroup was created, when the kernel says. */
  lifetimePeakBytes: number | null;
  memory: MemoryNow;
  /** Memory the kernel cannot reclaim over time (anon plus unreclaimable kernel memory), oldest first. */
  unreclaimable: ByteSample[];
  threads: number | null;
  threadSamples: ThreadSample[];
  allocator: AllocatorSample[];
  oomKills: number;
  limitHits: number;
  restarts: number;
  lastTerminationReason: string | null;
  runtimeHeap: RuntimeHeap | null;
  siblings: SiblingContainer[];
}

export type VerdictKind =
  | 'transient-spike'
  | 'startup-spike'
  | 'allocator-retention'
  | 'threads'
  | 'reclaimable-memory'
  | 'steady-growth'
  | 'limit-close-to-average'
  | 'heap-sized-to-limit'
  | 'sibling-at-risk'
  | 'over-limit'
  | 'healthy'
  | 'unknown';

export type Severity = 'ok' | 'info' | 'warning' | 'critical';

/** One finding: what is happening, how sure we are, and the numbers that show it. */
export interface Verdict {
  kind: VerdictKind;
  severity: Severity;
  /** 0–1: how well the evidence supports the verdict. */
  confidence: number;
  summary: string;
  /** Named numbers behind the verdict (bytes, ratios, hours, counts). */
  evidence: Record<string, number | string | null>;
}

export type ChecklistAnswer = 'yes' | 'no' | 'unknown';

/** The five questions an operator asks after an OOM kill. */
export interface Checklist {
  spikedBriefly: ChecklistAnswer;
  threadsAddingUp: ChecklistAnswer;
  limitTooCloseToAverage: ChecklistAnswer;
  cacheUnbounded: ChecklistAnswer;
  metricsLagging: ChecklistAnswer;
}

export interface Diagnosis {
  namespace: string | null;
  pod: string | null;
  container: string | null;
  /** The most important verdict first. */
  verdicts: Verdict[];
  checklist: Checklist;
  /** Highest charge known: exact window peaks, the lifetime peak, or the highest sample. */
  truePeakBytes: number | null;
  peakToLimit: number | null;
}
