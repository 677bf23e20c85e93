// What the peak sidecar adds to a container: the true peaks, kernel events and the breakdown of its memory.
import { PeakMethod, PeakWindow, SidecarContainer } from './sidecar-api';
import { TimeRange } from './time-range';

/** Sidecar figures for one container over a time range, gathered from every instance (restart) seen in it. */
export interface SidecarFigures {
  /** Sidecar id of the latest instance. */
  id: string;
  cgroupVersion: 1 | 2;
  method: PeakMethod;
  /** Every window in range has an exact peak (no spike between samples can be missed). */
  peakExact: boolean;
  /** Time of the latest read. */
  timeMs: number;
  /** The cgroup's own limit (`memory.max` / `limit_in_bytes`); null means unlimited. */
  limitBytes: number | null;
  usageBytes: number | null;
  workingSetBytes: number | null;
  /** Highest window peak in range; null when no window in range has one. */
  peakBytes: number | null;
  /** End of the window that holds `peakBytes`. */
  peakTimeMs: number | null;
  /** Highest charge since the cgroup was created; null when the kernel does not say. */
  lifetimePeakBytes: number | null;
  /** Times the limit was hit in range (`max` events; at least the number of windows flagged). */
  limitHits: number;
  /** OOM kills in range (`oom_kill` events); null when the kernel does not count them. */
  oomKills: number | null;
  anonBytes: number | null;
  fileBytes: number | null;
  inactiveFileBytes: number | null;
  kernelBytes: number | null;
  slabReclaimableBytes: number | null;
  unreclaimableBytes: number | null;
  allocatorAllocatedBytes: number | null;
  allocatorResidentBytes: number | null;
  threads: number | null;
  /** Windows in range, oldest first, from all instances. */
  windows: PeakWindow[];
  notices: string[];
}

/**
 * Gathers the figures of one container's sidecar instances (a restarted container is a new instance) over `range`.
 * Point-in-time values come from the latest instance; peaks, limit hits and OOM kills cover all of them, because the
 * instance that was OOM-killed is the one that matters.
 */
export function sidecarFigures(instances: readonly SidecarContainer[], range: TimeRange | null): SidecarFigures {
  let latest = instances[0];
  for (const instance of instances) {
    if (instance.timeMs > latest.timeMs) {
      latest = instance;
    }
  }

  let peakBytes: number | null = null;
  let peakTimeMs: number | null = null;
  let lifetimePeakBytes: number | null = null;
  let peakExact = true;
  let flaggedWindows = 0;
  let maxEvents = 0;
  let oomKills: number | null = null;
  const windows: PeakWindow[] = [];
  const notices: string[] = [];

  for (const instance of instances) {
    for (const window of instance.windows) {
      if (range && (window.endMs < range.fromMs || window.startMs > range.toMs)) {
        continue;
      }
      windows.push(window);
      peakExact = peakExact && window.peakExact;
      if (window.limitHit) {
        flaggedWindows++;
      }
      if (window.peakBytes !== null && (peakBytes === null || window.peakBytes > peakBytes)) {
        peakBytes = window.peakBytes;
        peakTimeMs = window.endMs;
      }
    }
    if (instance.lifetimePeakBytes !== null) {
      lifetimePeakBytes = Math.max(lifetimePeakBytes ?? 0, instance.lifetimePeakBytes);
    }
    if (instance.events.oom_kill !== null) {
      oomKills = oomKills ?? 0;
    }
    for (const event of instance.recentEvents) {
      if (range && (event.timeMs < range.fromMs || event.timeMs > range.toMs)) {
        continue;
      }
      if (event.kind === 'max') {
        maxEvents += event.delta;
      } else if (event.kind === 'oom_kill') {
        oomKills = (oomKills ?? 0) + event.delta;
      }
    }
    for (const text of instance.notices) {
      notices.push(text);
    }
  }
  // Several instances interleave; a sidecar may also send its windows out of order. Later steps expect oldest first.
  if (windows.length > 1 && (instances.length > 1 || !isOldestFirst(windows))) {
    windows.sort((a, b) => a.endMs - b.endMs);
  }
  if (windows.length === 0) {
    peakExact = false;
  }

  const breakdown = latest.breakdown;
  return {
    id: latest.id,
    cgroupVersion: latest.cgroupVersion,
    method: latest.method,
    peakExact,
    timeMs: latest.timeMs,
    limitBytes: latest.limitBytes,
    usageBytes: latest.usageBytes,
    workingSetBytes: latest.workingSetBytes,
    peakBytes,
    peakTimeMs,
    lifetimePeakBytes,
    limitHits: Math.max(maxEvents, flaggedWindows),
    oomKills,
    anonBytes: breakdown.anonBytes,
    fileBytes: breakdown.fileBytes,
    inactiveFileBytes: breakdown.inactiveFileBytes,
    kernelBytes: breakdown.kernelBytes,
    slabReclaimableBytes: breakdown.slabReclaimableBytes,
    unreclaimableBytes: latest.unreclaimableBytes,
    allocatorAllocatedBytes: latest.allocator?.allocatedBytes ?? null,
    allocatorResidentBytes: latest.allocator?.residentBytes ?? null,
    threads: latest.threads,
    windows,
    notices,
  };
}

function isOldestFirst(windows: readonly PeakWindow[]): boolean {
  for (let i = 1; i < windows.length; i++) {
    if (windows[i].endMs < windows[i - 1].endMs) {
      return false;
    }
  }
  return true;
}
