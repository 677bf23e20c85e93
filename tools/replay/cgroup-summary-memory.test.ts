import { summaryMemoryFromCgroupV1 } from './cgroup-summary-memory';

const MiB = 1024 * 1024;

/** A v1 `memory.stat` of a container holding 300 MiB of anon memory and 40 MiB of page cache, 32 MiB of it inactive. */
const MEMORY_STAT = [
  `cache ${40 * MiB}`,
  `rss ${300 * MiB}`,
  'rss_huge 0',
  'shmem 0',
  `inactive_file ${32 * MiB}`,
  `active_file ${8 * MiB}`,
  `total_cache ${40 * MiB}`,
  `total_rss ${300 * MiB}`,
  'total_shmem 0',
  `total_inactive_file ${32 * MiB}`,
  `total_active_file ${8 * MiB}`,
  '',
].join('\n');

describe('kubelet summary figures from a cgroup v1', () => {
  it('working set is usage minus total_inactive_file and available is the 512 MiB limit minus the working set', () => {
    const memory = summaryMemoryFromCgroupV1(`${342 * MiB}\n`, MEMORY_STAT, 512 * MiB);

    expect(memory).toEqual({
      usageBytes: 342 * MiB,
      workingSetBytes: 310 * MiB,
      availableBytes: 202 * MiB,
      rssBytes: 300 * MiB,
    });
  });

  it('a container without a limit has no availableBytes, as the kubelet leaves it out', () => {
    const memory = summaryMemoryFromCgroupV1(`${342 * MiB}\n`, MEMORY_STAT, null);

    expect(memory.availableBytes).toBeUndefined();
    expect(memory.workingSetBytes).toBe(310 * MiB);
  });

  it('an unreadable usage leaves usage, working set and available out instead of writing 0', () => {
    const memory = summaryMemoryFromCgroupV1('', MEMORY_STAT, 512 * MiB);

    expect(memory).toEqual({ rssBytes: 300 * MiB });
  });
});
