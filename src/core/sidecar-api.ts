/**
 * The peak sidecar's versioned JSON API (`/v1`). The sidecar produces these objects and the data source
 * plugin validates and consumes them; this module is the one definition both sides share.
 *
 * Units: bytes are bytes, times are milliseconds since the epoch, ratios are 0–1. A value the kernel
 * does not offer is `null` ("unknown"), never 0.
 */
import { z } from 'zod';

export const API_VERSION = 'v1';

/**
 * How a container's peaks are measured, best first.
 * - `v2-peak-reset`: cgroup v2 `memory.peak` reset per open file (Linux 6.12+); every window peak is exact.
 * - `v2-peak-sampled`: `memory.peak` exists but cannot be reset (5.19–6.11): exact lifetime peak, sampled windows.
 * - `v2-sampled`: no `memory.peak` (before 5.19): lifetime peak unknown, sampled windows.
 * - `v1-reset`: cgroup v1 `memory.max_usage_in_bytes` reset each window (opt-in, it changes what other tools read).
 * - `v1-sampled`: v1 lifetime `max_usage_in_bytes` plus sampling; `failcnt` tells that the limit was touched.
 */
export const peakMethodSchema = z.enum(['v2-peak-reset', 'v2-peak-sampled', 'v2-sampled', 'v1-reset', 'v1-sampled']);
export type PeakMethod = z.infer<typeof peakMethodSchema>;

/** Peak methods whose window peaks are exact (no spike between samples can be missed). */
export const EXACT_PEAK_METHODS: readonly PeakMethod[] = ['v2-peak-reset', 'v1-reset'];

const bytes = z.number().nullable();

/** `memory.stat` in one vocabulary for v1 (`total_*`) and v2. */
export const memoryBreakdownSchema = z.object({
  anonBytes: bytes,
  fileBytes: bytes,
  activeFileBytes: bytes,
  inactiveFileBytes: bytes,
  shmemBytes: bytes,
  kernelBytes: bytes,
  kernelStackBytes: bytes,
  pageTablesBytes: bytes,
  sockBytes: bytes,
  slabReclaimableBytes: bytes,
  slabUnreclaimableBytes: bytes,
});
export type MemoryBreakdown = z.infer<typeof memoryBreakdownSchema>;

/** A breakdown in which the kernel gave nothing: every figure unknown. */
export function emptyMemoryBreakdown(): MemoryBreakdown {
  return {
    anonBytes: null,
    fileBytes: null,
    activeFileBytes: null,
    inactiveFileBytes: null,
    shmemBytes: null,
    kernelBytes: null,
    kernelStackBytes: null,
    pageTablesBytes: null,
    sockBytes: null,
    slabReclaimableBytes: null,
    slabUnreclaimableBytes: null,
  };
}

/** One fixed window of the ring. */
export const peakWindowSchema = z.object({
  startMs: z.number(),
  endMs: z.number(),
  /** Highest charge in the window; exact when `peakExact`, otherwise the highest sample. */
  peakBytes: bytes,
  peakExact: z.boolean(),
  /** Last sampled usage in the window. */
  lastBytes: bytes,
  /** Working set (usage − inactive file) at the last sample of the window. */
  workingSetBytes: bytes,
  /** The limit was hit in this window (v2 `max` events or v1 `failcnt` increased). */
  limitHit: z.boolean(),
  samples: z.number().int(),
});
export type PeakWindow = z.infer<typeof peakWindowSchema>;

export const memoryEventKindSchema = z.enum(['max', 'high', 'oom', 'oom_kill']);
export type MemoryEventKind = z.infer<typeof memoryEventKindSchema>;

/** Kernel event counters (`memory.events`; v1: `failcnt` as `max`, `oom_control`'s `oom_kill`). */
export const memoryEventCountsSchema = z.object({
  max: z.number().nullable(),
  high: z.number().nullable(),
  oom: z.number().nullable(),
  oom_kill: z.number().nullable(),
});
export type MemoryEventCounts = z.infer<typeof memoryEventCountsSchema>;

/** A counter increase, with the time the sidecar saw it. */
export const memoryEventSchema = z.object({
  timeMs: z.number(),
  kind: memoryEventKindSchema,
  /** How much the counter grew since the previous read. */
  delta: z.number(),
  /** Counter value after the change. */
  count: z.number(),
});
export type MemoryEvent = z.infer<typeof memoryEventSchema>;

/** `memory.pressure` (PSI), percentages over 10 s, 60 s and 300 s. */
export const memoryPressureSchema = z.object({
  someAvg10: z.number(),
  someAvg60: z.number(),
  someAvg300: z.number(),
  fullAvg10: z.number(),
  fullAvg60: z.number(),
  fullAvg300: z.number(),
});
export type MemoryPressure = z.infer<typeof memoryPressureSchema>;

/** Figures from the program's allocator (jemalloc-style), when the container exposes them. */
export const allocatorStatsSchema = z.object({
  timeMs: z.number(),
  /** Bytes the program holds (jemalloc `stats.allocated`, glibc `uordblks`). */
  allocatedBytes: bytes,
  /** Bytes of physical memory the allocator keeps mapped (`stats.resident`). */
  residentBytes: bytes,
  /** Bytes the allocator kept but returned to the kernel as unused virtual memory (`stats.retained`). */
  retainedBytes: bytes,
});
export type AllocatorStats = z.infer<typeof allocatorStatsSchema>;

/** Who a watched cgroup belongs to. Names may be missing where no pod list was available. */
export const containerIdentitySchema = z.object({
  namespace: z.string().nullable(),
  pod: z.string().nullable(),
  container: z.string().nullable(),
  podUid: z.string().nullable(),
  containerId: z.string().nullable(),
  /** Path of the cgroup relative to the cgroup root. */
  cgroupPath: z.string(),
});
export type ContainerIdentity = z.infer<typeof containerIdentitySchema>;

export const sidecarContainerSchema = z.object({
  /** Stable key of this watched cgroup; a restarted container is a new id. */
  id: z.string(),
  identity: containerIdentitySchema,
  cgroupVersion: z.union([z.literal(1), z.literal(2)]),
  method: peakMethodSchema,
  /** Width of each window. */
  windowMs: z.number(),
  /** How often usage is sampled (the resolution of non-exact windows). */
  sampleIntervalMs: z.number(),
  /** When the sidecar first saw this cgroup. */
  firstSeenMs: z.number(),
  /**
   * When the cgroup appeared (the container started), within one discovery interval; null for a cgroup that already
   * existed when the sidecar started, whose start the sidecar cannot know.
   */
  startedMs: z.number().nullable().default(null),
  /** Time of the latest read. */
  timeMs: z.number(),
  /** Hard limit; null means unlimited. */
  limitBytes: bytes,
  /** `memory.high` (v2) or the soft limit (v1); null means none. */
  highBytes: bytes,
  usageBytes: bytes,
  workingSetBytes: bytes,
  /** Memory the kernel cannot reclaim: anon + unreclaimable kernel memory (see `unreclaimable.ts`). */
  unreclaimableBytes: bytes,
  breakdown: memoryBreakdownSchema,
  /** Highest charge since the cgroup was created; null when the kernel does not say. */
  lifetimePeakBytes: bytes,
  events: memoryEventCountsSchema,
  recentEvents: z.array(memoryEventSchema),
  pressure: memoryPressureSchema.nullable(),
  threads: z.number().nullable(),
  allocator: allocatorStatsSchema.nullable(),
  /** Windows inside the requested range, oldest first. */
  windows: z.array(peakWindowSchema),
  /** Why a value is missing or degraded (a missing file, a failed read). */
  notices: z.array(z.string()),
});
export type SidecarContainer = z.infer<typeof sidecarContainerSchema>;

/** `GET /v1/containers?from=MS&to=MS` */
export const containersResponseSchema = z.object({
  apiVersion: z.literal(API_VERSION),
  scope: z.enum(['pod', 'node', 'cgroup']),
  /** Node name, when known. */
  node: z.string().nullable(),
  timeMs: z.number(),
  fromMs: z.number(),
  toMs: z.number(),
  containers: z.array(sidecarContainerSchema),
  notices: z.array(z.string()),
});
export type ContainersResponse = z.infer<typeof containersResponseSchema>;
