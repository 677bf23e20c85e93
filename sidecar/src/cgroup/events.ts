/**
 * Notices increases of the kernel's memory event counters (v2 `memory.events`: max, high, oom, oom_kill; v1 `failcnt`
 * as max and `oom_control`'s oom_kill) and keeps a bounded list of recent ones. On v2 the kernel notifies file
 * watchers when `memory.events` changes, so `watchMemoryEvents` lets a change be read at once; the collector polls the
 * counters every sample as well, which is all v1 has.
 */
import * as fs from 'fs';
import type { MemoryEvent, MemoryEventCounts, MemoryEventKind } from '../../../src/core/sidecar-api';

const KINDS: MemoryEventKind[] = ['max', 'high', 'oom', 'oom_kill'];

export class EventCounter {
  private latest: MemoryEventCounts = { max: null, high: null, oom: null, oom_kill: null };
  private readonly events: MemoryEvent[] = [];

  constructor(private readonly keep = 64) {}

  /**
   * Compares fresh counters with the previous read and returns the increases as events. The first read of a counter is
   * its baseline (no event); a counter that went down (a new cgroup under the same path) becomes the new baseline.
   */
  observe(counts: MemoryEventCounts, timeMs: number): MemoryEvent[] {
    const fresh: MemoryEvent[] = [];
    for (const kind of KINDS) {
      const count = counts[kind];
      const before = this.latest[kind];
      if (count !== null && before !== null && count > before) {
        fresh.push({ timeMs, kind, delta: count - before, count });
      }
      if (count !== null) {
        this.latest[kind] = count;
      }
    }
    this.events.push(...fresh);
    if (this.events.length > this.keep) {
      this.events.splice(0, this.events.length - this.keep);
    }
    return fresh;
  }

  /** Latest known value of one counter, without copying. */
  countOf(kind: MemoryEventKind): number | null {
    return this.latest[kind];
  }

  /** Latest known value of each counter. */
  counts(): MemoryEventCounts {
    return { ...this.latest };
  }

  /** Copies of the recent events inside [fromMs, toMs], oldest first. */
  recent(fromMs = -Infinity, toMs = Infinity): MemoryEvent[] {
    return this.events.filter((event) => event.timeMs >= fromMs && event.timeMs <= toMs).map((event) => ({ ...event }));
  }
}

/**
 * Watches a `memory.events` file and calls `onChange` when the kernel signals a change. Returns a function that stops
 * watching, or null when the file cannot be watched (the caller keeps polling).
 */
export function watchMemoryEvents(file: string, onChange: () => void): (() => void) | null {
  try {
    const watcher = fs.watch(file, { persistent: false }, () => onChange());
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return null;
  }
}
