import { parseAllocatorStats } from './allocator-stats';

const TIME_MS = 1_700_000_000_000;

describe('allocator stats', () => {
  it('reads the plain {allocated, resident, retained} shape', () => {
    expect(parseAllocatorStats({ allocated: 104857600, resident: 1932735283, retained: 268435456 }, TIME_MS)).toEqual({
      timeMs: TIME_MS,
      allocatedBytes: 104857600,
      residentBytes: 1932735283,
      retainedBytes: 268435456,
    });
  });

  it("reads jemalloc's mallctl names", () => {
    expect(parseAllocatorStats({ 'stats.allocated': 104857600, 'stats.resident': 1932735283 }, TIME_MS)).toEqual({
      timeMs: TIME_MS,
      allocatedBytes: 104857600,
      residentBytes: 1932735283,
      retainedBytes: null,
    });
  });

  it("reads jemalloc's malloc_stats_print JSON", () => {
    const body = {
      jemalloc: {
        version: '5.3.0',
        stats: { allocated: 104857600, active: 120000000, resident: 1932735283, retained: 0 },
      },
    };

    expect(parseAllocatorStats(body, TIME_MS)).toEqual({
      timeMs: TIME_MS,
      allocatedBytes: 104857600,
      residentBytes: 1932735283,
      retainedBytes: 0,
    });
  });

  it('refuses a body with none of the figures', () => {
    expect(() => parseAllocatorStats({ heap: 1 }, TIME_MS)).toThrow(
      'the allocator stats have none of allocated, resident, retained'
    );
  });

  it('refuses a figure that is not a byte count', () => {
    expect(() => parseAllocatorStats({ allocated: '100MB' }, TIME_MS)).toThrow(
      'the allocator figure allocated is not a byte count: "100MB"'
    );
  });
});
