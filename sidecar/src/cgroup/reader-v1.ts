/**
 * Reads a cgroup v1 memory controller directory (`memory.usage_in_bytes`, `memory.limit_in_bytes`, `memory.stat`,
 * `memory.max_usage_in_bytes`, `memory.failcnt`, `memory.oom_control`, `memory.kmem.*`, `tasks`).
 */
import type { MemoryEventCounts } from '../../../src/core/sidecar-api';
import { CgroupFiles } from './cgroup-files';
import { type CgroupReader, type CgroupReading, readMemoryStat } from './cgroup-reading';
import { keyedCounters } from './counter-bytes';
import { countLines } from './file-formats';
import { readLimit, readNumber } from './read-value';
import { reclaimableSlabBytes } from './slab-info';

const OOM_CONTROL_KEYS = ['oom_kill'] as const;

export class CgroupV1Reader implements CgroupReader {
  readonly version = 1 as const;
  private readonly oomControl: Array<number | null> = [null];

  constructor(readonly files: CgroupFiles) {}

  readUsage(): number | null {
    return readNumber(this.files, 'memory.usage_in_bytes');
  }

  readLifetimePeak(): number | null {
    return readNumber(this.files, 'memory.max_usage_in_bytes');
  }

  readLimit(): number | null {
    return readLimit(this.files, 'memory.limit_in_bytes');
  }

  readLimitHits(): number | null {
    // v1 counts every charge that hit the limit in `failcnt`.
    return readNumber(this.files, 'memory.failcnt');
  }

  readEvents(): MemoryEventCounts {
    // `oom_control` has an `oom_kill` line since Linux 4.13.
    const max = this.readLimitHits();
    const length = this.files.readBytes('memory.oom_control');
    if (length < 0) {
      return { max, high: null, oom: null, oom_kill: null };
    }
    keyedCounters(this.files.bytes, length, OOM_CONTROL_KEYS, this.oomControl);
    return { max, high: null, oom: null, oom_kill: this.oomControl[0] };
  }

  read({ lifetimePeak = true }: { lifetimePeak?: boolean } = {}): CgroupReading {
    const usageBytes = this.readUsage();
    const limitBytes = this.readLimit();
    const highBytes = readLimit(this.files, 'memory.soft_limit_in_bytes');

    const stat = readMemoryStat(this.files, 1);

    // v1 keeps kernel memory out of memory.stat: total kernel memory, socket buffers and slab come from memory.kmem.*.
    stat.breakdown.kernelBytes = readNumber(this.files, 'memory.kmem.usage_in_bytes');
    stat.breakdown.sockBytes = this.files.has('memory.kmem.tcp.usage_in_bytes')
      ? readNumber(this.files, 'memory.kmem.tcp.usage_in_bytes')
      : null;
    const slabInfo = this.files.has('memory.kmem.slabinfo') ? this.files.read('memory.kmem.slabinfo') : null;
    stat.breakdown.slabReclaimableBytes = slabInfo === null ? null : reclaimableSlabBytes(slabInfo);

    const tasks = this.files.read('tasks');

    return {
      usageBytes,
      limitBytes,
      highBytes,
      stat,
      lifetimePeakBytes: lifetimePeak ? this.readLifetimePeak() : null,
      events: this.readEvents(),
      pressure: null,
      threads: tasks === null ? null : countLines(tasks),
    };
  }
}
