import { GiB, MiB, statText } from './prepared-tree';
import { parseMemoryStat } from './memory-stat';
import { estimateUnreclaimable } from './unreclaimable';
import { workingSetBytes } from './working-set';

describe('memory.stat', () => {
  it('reads the v2 vocabulary into the breakdown and leaves keys the kernel does not give as null', () => {
    const text = statText({ anon: 8 * MiB, file: 246.5 * MiB, active_file: 46.5 * MiB, inactive_file: 200 * MiB });

    const { breakdown, notices } = parseMemoryStat(text, 2);

    expect(breakdown.anonBytes).toBe(8388608);
    expect(breakdown.fileBytes).toBe(258473984);
    expect(breakdown.inactiveFileBytes).toBe(209715200);
    expect(breakdown.kernelBytes).toBeNull();
    expect(breakdown.slabReclaimableBytes).toBeNull();
    expect(notices).toEqual([]);
  });

  it('prefers the hierarchical total_* counters of v1 over the cgroup-local ones', () => {
    const text = statText({
      rss: 10 * MiB,
      cache: 5 * MiB,
      inactive_file: 1 * MiB,
      total_rss: 300 * MiB,
      total_cache: 120 * MiB,
      total_inactive_file: 80 * MiB,
      total_shmem: 2 * MiB,
    });

    const { breakdown } = parseMemoryStat(text, 1);

    expect(breakdown.anonBytes).toBe(300 * MiB);
    expect(breakdown.fileBytes).toBe(120 * MiB);
    expect(breakdown.inactiveFileBytes).toBe(80 * MiB);
    expect(breakdown.shmemBytes).toBe(2 * MiB);
    expect(breakdown.activeFileBytes).toBeNull();
  });

  it('falls back to cgroup-local v1 counters when no total_* line exists', () => {
    const { breakdown } = parseMemoryStat('rss 52428800\ncache 10485760\n', 1);

    expect(breakdown.anonBytes).toBe(52428800);
    expect(breakdown.fileBytes).toBe(10485760);
  });

  it('skips garbage and truncated lines with one notice and keeps every good line', () => {
    const text = 'anon 8388608\nfile 12ab\n\u0000\u0001garbage\ninactive_file 209715200\nshmem\nactive_fi';

    const { breakdown, notices } = parseMemoryStat(text, 2);

    expect(breakdown.anonBytes).toBe(8388608);
    expect(breakdown.inactiveFileBytes).toBe(209715200);
    expect(breakdown.fileBytes).toBeNull();
    expect(breakdown.shmemBytes).toBeNull();
    expect(notices).toEqual(['memory.stat: skipped 4 malformed line(s), first "file 12ab"']);
  });

  it('says so when the file holds no counter at all', () => {
    expect(parseMemoryStat('', 2).notices).toEqual(['memory.stat: no readable counters']);
  });
});

describe('working set', () => {
  it('is usage minus inactive file, the kubelet formula', () => {
    expect(workingSetBytes(256 * MiB, 200 * MiB)).toBe(56 * MiB);
  });

  it('is clamped at 0 when inactive file exceeds a stale usage', () => {
    expect(workingSetBytes(100 * MiB, 120 * MiB)).toBe(0);
  });

  it('is unknown, not usage, when inactive file is unknown', () => {
    expect(workingSetBytes(256 * MiB, null)).toBeNull();
  });
});

describe('C6: page cache fills the peak (cgroup v2)', () => {
  const limitBytes = 256 * MiB;
  const usageBytes = 256 * MiB;
  const { breakdown } = parseMemoryStat(
    statText({ anon: 8 * MiB, file: 246.5 * MiB, active_file: 46.5 * MiB, inactive_file: 200 * MiB }),
    2
  );

  it('gives a working set of 56 MiB, 22 % of the limit, while usage sits at 100 %', () => {
    const workingSet = workingSetBytes(usageBytes, breakdown.inactiveFileBytes)!;

    expect(workingSet).toBe(56 * MiB);
    expect(Math.round((workingSet / limitBytes) * 100)).toBe(22);
  });

  it('puts anon at 3 % of the limit', () => {
    expect(Math.round((breakdown.anonBytes! / limitBytes) * 100)).toBe(3);
  });
});

describe('C7: reclaimable kernel memory counted as used', () => {
  const limitBytes = 12 * GiB;

  it('estimates about 8.13 GiB (68 %) unreclaimable on v2, not the 11.98 GiB (100 %) usage', () => {
    const stat = parseMemoryStat(
      statText({ anon: 7.75 * GiB, file: 0, sock: 0.01 * GiB, kernel: 4.22 * GiB, slab_reclaimable: 3.85 * GiB }),
      2
    );

    const estimate = estimateUnreclaimable(stat.breakdown, 2);

    expect(estimate.bytes! / GiB).toBeCloseTo(8.13, 2);
    expect(Math.round((estimate.bytes! / limitBytes) * 100)).toBe(68);
    expect(estimate.notice).toBeNull();
  });

  it('gives the same 68 % from v1-form numbers (total_rss, memory.kmem, reclaimable slab)', () => {
    const stat = parseMemoryStat(statText({ total_rss: 7.75 * GiB, total_cache: 0 }), 1);
    stat.breakdown.kernelBytes = Math.round(4.22 * GiB);
    stat.breakdown.sockBytes = Math.round(0.01 * GiB);
    stat.breakdown.slabReclaimableBytes = Math.round(3.85 * GiB);

    const estimate = estimateUnreclaimable(stat.breakdown, 1);

    expect(estimate.bytes! / GiB).toBeCloseTo(8.12, 2);
    expect(Math.round((estimate.bytes! / limitBytes) * 100)).toBe(68);
  });

  it('adds up the unreclaimable kernel parts on v2 kernels without a kernel line', () => {
    const stat = parseMemoryStat(
      statText({
        anon: 400 * MiB,
        sock: 1 * MiB,
        kernel_stack: 2 * MiB,
        pagetables: 3 * MiB,
        percpu: 1 * MiB,
        slab_reclaimable: 90 * MiB,
        slab_unreclaimable: 10 * MiB,
      }),
      2
    );

    expect(estimateUnreclaimable(stat.breakdown, 2, stat.percpuBytes).bytes).toBe(417 * MiB);
  });

  it('calls the v1 estimate an upper bound when the kernel does not split slab', () => {
    const stat = parseMemoryStat(statText({ total_rss: 500 * MiB }), 1);
    stat.breakdown.kernelBytes = 20 * MiB;

    const estimate = estimateUnreclaimable(stat.breakdown, 1);

    expect(estimate.bytes).toBe(520 * MiB);
    expect(estimate.notice).toMatch(/upper bound/);
  });

  it('is unknown with a reason when anon is missing', () => {
    const estimate = estimateUnreclaimable(parseMemoryStat('file 1000\n', 2).breakdown, 2);

    expect(estimate.bytes).toBeNull();
    expect(estimate.notice).toMatch(/no anon/);
  });
});
