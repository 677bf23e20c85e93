/**
 * Points the sidecar's Collector at child memory cgroups made by `CgroupV1Child`, the same way the sidecar would
 * watch a container's cgroup, and reads back what its API would serve.
 */
import type { PeakWindow, SidecarContainer } from '../../../src/core/sidecar-api';
import { Collector } from '../collector';
import type { CgroupV1Child } from './cgroup-v1-child';

/** How the Collector samples and windows; `v1ResetPeak` makes every window peak exact on cgroup v1. */
export interface WatchOptions {
  v1ResetPeak: boolean;
  sampleIntervalMs: number;
  windowMs: number;
  keepMs?: number;
}

/** Starts a Collector over `children` (all in the same v1 memory hierarchy), named by their cgroup paths. */
export function watch(children: CgroupV1Child[], options: WatchOptions): Collector {
  if (children.length === 0) {
    throw new Error('nothing to watch');
  }
  const collector = new Collector({
    cgroupRoot: children[0].mountPoint,
    targets: children.map((child) => ({ path: child.path, name: child.path.split('/').pop()! })),
    sampleIntervalMs: options.sampleIntervalMs,
    windowMs: options.windowMs,
    keepMs: options.keepMs ?? 10 * 60_000,
    v1ResetPeak: options.v1ResetPeak,
  });
  collector.start();
  return collector;
}

/** The Collector's view of one child, over [fromMs, toMs]. */
export function containerOf(
  collector: Collector,
  child: CgroupV1Child,
  fromMs: number,
  toMs: number
): SidecarContainer {
  const found = collector
    .containers(fromMs, toMs)
    .find((c) => c.identity.cgroupPath.replace(/^\/+/, '') === child.path);
  if (!found) {
    throw new Error(`the Collector does not list ${child.path}`);
  }
  return found;
}

/** The highest window peak among windows overlapping [fromMs, toMs], or null when none has a peak. */
export function highestWindowPeak(windows: PeakWindow[], fromMs: number, toMs: number): PeakWindow | null {
  return windows
    .filter((w) => w.startMs <= toMs && w.endMs >= fromMs && w.peakBytes !== null)
    .reduce<PeakWindow | null>((best, w) => (best === null || w.peakBytes! > best.peakBytes! ? w : best), null);
}
