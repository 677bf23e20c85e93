/** Reads a cgroup v2 directory (`memory.current`, `memory.max`, `memory.stat`, `memory.peak`, `memory.events`, ...). */
import type { MemoryEventCounts } from '../../../src/core/sidecar-api';
import { CgroupFiles } from './cgroup-files';
import { type CgroupReader, type CgroupReading, readMemoryStat } from './cgroup-reading';
import { keyedCounters } from './counter-bytes';
import { countLines, parsePressure } from './file-formats';
import { readLimit, readNumber } from './read-value';

export const V2_PEAK_MISSING = 'memory.peak is missing (kernel before 5.19): the lifetime peak is unknown';

const EVENT_KEYS = ['max', 'high', 'oom', 'oom_kill'] as const;

export class CgroupV2Reader implements CgroupReader {
  readonly version = 2 as const;
  private readonly events: Array<number | null> = [null, null, null, null];

  constructor(readonly files: CgroupFiles) {}

  readUsage(): number | null {
    return readNumber(this.files, 'memory.current');
  }

  readLifetimePeak(): number | null {
    return readNumber(this.files, 'memory.peak', V2_PEAK_MISSING);
  }

  readLimit(): number | null {
    return readLimit(this.files, 'memory.max');
  }

  readLimitHits(): number | null {
    return this.readEvents().max;
  }

  readEvents(): MemoryEventCounts {
    const length = this.files.readBytes('memory.events');
    if (length < 0) {
      return { max: null, high: null, oom: null, oom_kill: null };
    }
    keyedCounters(this.files.bytes, length, EVENT_KEYS, this.events);
    const [max, high, oom, oomKill] = this.events;
    return { max, high, oom, oom_kill: oomKill };
  }

  read({ lifetimePeak = true }: { lifetimePeak?: boolean } = {}): CgroupReading {
    const usageBytes = this.readUsage();
    const limitBytes = this.readLimit();
    const highBytes = readLimit(this.files, 'memory.high');

    const stat = readMemoryStat(this.files, 2);

    const pressureText = this.files.has('memory.pressure') ? this.files.read('memory.pressure') : null;
    const pressure = pressureText === null ? null : parsePressure(pressureText);
    if (pressure && !pressure.ok) {
      this.files.problem('memory.pressure', `memory.pressure: ${pressure.reason}`);
    }
    const threadsText = this.files.read('cgroup.threads');

    return {
      usageBytes,
      limitBytes,
      highBytes,
      stat,
      lifetimePeakBytes: lifetimePeak ? this.readLifetimePeak() : null,
      events: this.readEvents(),
      pressure: pressure?.ok ? pressure.value : null,
      threads: threadsText === null ? null : countLines(threadsText),
    };
  }
}
