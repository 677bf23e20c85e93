import { Counter, Gauge, type Registry } from 'prom-client';
import type { MemoryEventKind, SidecarContainer } from '../../../src/core/sidecar-api';
import type { ContainerSource } from '../container-source';
import { trailingPeak } from './trailing-peak';

export interface ContainerMetricsOptions {
  /** Span of `headroom_memory_peak_bytes`; scrapes at this interval or faster see every spike. */
  peakWindowMs: number;
  now?: () => number;
}

const LABEL_NAMES = ['namespace', 'pod', 'container', 'pod_uid', 'container_id'] as const;
type ContainerLabel = (typeof LABEL_NAMES)[number];
type ContainerLabels = Record<ContainerLabel, string>;

interface Scrape {
  containers: SidecarContainer[];
  sinceMs: number;
}

/** One gauge per container: its value, or null for "no series" (unlimited, unknown, not offered by the kernel). */
const GAUGES: Array<{ name: string; help: string; value: (container: SidecarContainer) => number | null }> = [
  {
    name: 'headroom_memory_lifetime_peak_bytes',
    help: 'Highest memory charge since the cgroup was created: memory.peak (v2) or memory.max_usage_in_bytes (v1). Absent when the kernel does not say.',
    value: (c) => c.lifetimePeakBytes,
  },
  {
    name: 'headroom_memory_limit_bytes',
    help: 'Hard memory limit: memory.max (v2) or memory.limit_in_bytes (v1). Absent when unlimited.',
    value: (c) => c.limitBytes,
  },
  {
    name: 'headroom_memory_high_bytes',
    help: 'Throttling threshold: memory.high (v2) or memory.soft_limit_in_bytes (v1). Absent when none is set.',
    value: (c) => c.highBytes,
  },
  {
    name: 'headroom_memory_usage_bytes',
    help: 'Memory charged to the cgroup, page cache included: memory.current (v2) or memory.usage_in_bytes (v1).',
    value: (c) => c.usageBytes,
  },
  {
    name: 'headroom_memory_working_set_bytes',
    help: 'Usage minus inactive_file from memory.stat, as the kubelet computes it for eviction.',
    value: (c) => c.workingSetBytes,
  },
  {
    name: 'headroom_memory_anon_bytes',
    help: 'Anonymous memory the kernel cannot drop: anon (v2) or total_rss (v1) in memory.stat.',
    value: (c) => c.breakdown.anonBytes,
  },
  {
    name: 'headroom_memory_file_bytes',
    help: 'Page cache: file (v2) or total_cache (v1) in memory.stat.',
    value: (c) => c.breakdown.fileBytes,
  },
  {
    name: 'headroom_memory_unreclaimable_bytes',
    help: 'Memory reclaim cannot free: anon plus unreclaimable kernel memory from memory.stat.',
    value: (c) => c.unreclaimableBytes,
  },
  {
    name: 'headroom_memory_threads',
    help: 'Threads in the cgroup: cgroup.threads (v2) or tasks (v1).',
    value: (c) => c.threads,
  },
  {
    name: 'headroom_memory_allocator_allocated_bytes',
    help: "Bytes the program holds, from its allocator's stats endpoint (jemalloc stats.allocated). Absent when not offered.",
    value: (c) => c.allocator?.allocatedBytes ?? null,
  },
  {
    name: 'headroom_memory_allocator_resident_bytes',
    help: 'Physical memory the allocator keeps mapped, from its stats endpoint (jemalloc stats.resident). Absent when not offered.',
    value: (c) => c.allocator?.residentBytes ?? null,
  },
  {
    // PSI reports percentages; a ratio reads like every other Headroom ratio.
    name: 'headroom_memory_pressure_some_ratio',
    help: 'Share of the last 10 s in which some task waited on memory: "some avg10" of memory.pressure (PSI) / 100. Absent without PSI.',
    value: (c) => (c.pressure === null ? null : c.pressure.someAvg10 / 100),
  },
  {
    name: 'headroom_container_start_time_seconds',
    help: 'When the container started (its cgroup appeared), in seconds since the epoch. Absent for containers already running when the sidecar started.',
    value: (c) => (c.startedMs === null ? null : c.startedMs / 1000),
  },
];

const EVENT_KINDS: readonly MemoryEventKind[] = ['max', 'high', 'oom', 'oom_kill'];

/** Prometheus labels of a container; a name the sidecar does not know is the empty string. */
export function containerLabels(container: SidecarContainer): ContainerLabels {
  const { identity } = container;
  return {
    namespace: identity.namespace ?? '',
    pod: identity.pod ?? '',
    container: identity.container ?? '',
    pod_uid: identity.podUid ?? '',
    container_id: identity.containerId ?? '',
  };
}

/**
 * Registers the per-container memory metrics. They read the source when Prometheus scrapes, never per sample,
 * and a value the source does not have is an absent series, never 0.
 */
export function registerContainerMetrics(
  registry: Registry,
  source: ContainerSource,
  options: ContainerMetricsOptions
): void {
  const now = options.now ?? Date.now;
  let current: Scrape | null = null;

  // Every metric's collect() of one scrape runs in the same turn of the event loop (the registry calls them all
  // before awaiting any), so the source is read once per scrape and forgotten before the next.
  const scrape = (): Scrape => {
    if (current === null) {
      const nowMs = now();
      const sinceMs = nowMs - options.peakWindowMs;
      current = { containers: source.containers(sinceMs, nowMs), sinceMs };
      queueMicrotask(() => {
        current = null;
      });
    }
    return current;
  };

  new Gauge({
    name: 'headroom_memory_peak_bytes',
    help: 'Highest memory charge over the trailing peak window (--peak-window): memory.peak reset per window (v2), memory.max_usage_in_bytes (v1 with reset), else the highest memory.current sample.',
    labelNames: LABEL_NAMES,
    registers: [registry],
    collect() {
      this.reset();
      const { containers, sinceMs } = scrape();
      for (const container of containers) {
        const peak = trailingPeak(container, sinceMs);
        if (peak !== null) {
          this.set(containerLabels(container), peak.peakBytes);
        }
      }
    },
  });

  new Gauge({
    name: 'headroom_memory_peak_exact',
    help: '1 when headroom_memory_peak_bytes is exact (a kernel high-water mark reset per window), 0 when it is the highest sample; method names how it is measured.',
    labelNames: [...LABEL_NAMES, 'method'],
    registers: [registry],
    collect() {
      this.reset();
      const { containers, sinceMs } = scrape();
      for (const container of containers) {
        const peak = trailingPeak(container, sinceMs);
        if (peak !== null) {
          this.set({ ...containerLabels(container), method: peak.method }, peak.exact ? 1 : 0);
        }
      }
    },
  });

  for (const gauge of GAUGES) {
    new Gauge({
      name: gauge.name,
      help: gauge.help,
      labelNames: LABEL_NAMES,
      registers: [registry],
      collect() {
        this.reset();
        for (const container of scrape().containers) {
          const value = gauge.value(container);
          if (value !== null) {
            this.set(containerLabels(container), value);
          }
        }
      },
    });
  }

  new Counter({
    name: 'headroom_memory_events_total',
    help: 'Kernel memory event counters from memory.events (v2): max (limit hit, reclaim ran), high, oom, oom_kill; v1: memory.failcnt as max and oom_kill from memory.oom_control.',
    labelNames: [...LABEL_NAMES, 'event'],
    registers: [registry],
    collect() {
      // The kernel keeps the count; the counter mirrors it, so a restarted container starts a new series.
      this.reset();
      for (const container of scrape().containers) {
        for (const event of EVENT_KINDS) {
          const count = container.events[event];
          if (count !== null) {
            this.inc({ ...containerLabels(container), event }, count);
          }
        }
      }
    },
  });
}
