/** What one full read of a cgroup's memory files gives, the same for v1 and v2. */
import type { MemoryEventCounts, MemoryPressure } from '../../../src/core/sidecar-api';
import type { CgroupFiles } from './cgroup-files';
import { emptyMemoryBreakdown } from '../../../src/core/sidecar-api';
import { type CgroupVersion, type MemoryStat, parseMemoryStat } from './memory-stat';

export interface CgroupReading {
  usageBytes: number | null;
  /** Hard limit; null means unlimited (or unreadable, with a notice). */
  limitBytes: number | null;
  /** v2 `memory.high` or v1 soft limit; null means none. */
  highBytes: number | null;
  stat: MemoryStat;
  /** Highest charge the kernel recorded since creation (or the last v1 reset); null when not read or not offered. */
  lifetimePeakBytes: number | null;
  events: MemoryEventCounts;
  pressure: MemoryPressure | null;
  threads: number | null;
}

/** Reads one cgroup's memory files; `CgroupGoneError` when the cgroup disappears. */
export interface CgroupReader {
  readonly version: CgroupVersion;
  readonly files: CgroupFiles;
  /** Current usage only: the cheap read done every sample. */
  readUsage(): number | null;
  /** Hard limit only (null: unlimited or unreadable); read every window, as a limit can be resized in place. */
  readLimit(): number | null;
  /** Event counters only (v2 `memory.events`; v1 `failcnt` and `oom_control`). */
  readEvents(): MemoryEventCounts;
  /** The limit-hit counter alone (v2 `memory.events` max, v1 `failcnt`): the quick poll between samples. */
  readLimitHits(): number | null;
  /** Lifetime peak only. */
  readLifetimePeak(): number | null;
  /** Every file; `lifetimePeak: false` leaves the peak file alone (the peak tracker owns it). */
  read(options?: { lifetimePeak?: boolean }): CgroupReading;
}

/** Reads `memory.stat` in the shared vocabulary; an unreadable file gives an empty breakdown (its problem is recorded). */
export function readMemoryStat(files: CgroupFiles, version: CgroupVersion): MemoryStat {
  const text = files.read('memory.stat');
  const stat =
    text === null
      ? { breakdown: emptyMemoryBreakdown(), percpuBytes: null, notices: [] }
      : parseMemoryStat(text, version);
  stat.notices.forEach((notice) => files.problem('memory.stat', notice));
  return stat;
}
