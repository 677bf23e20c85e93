import fc from 'fast-check';

import {
  DEFAULT_EVICTION_HARD_BYTES,
  MiB,
  evictionDistanceBytes,
  headroomBytes,
  inactiveFileBytes,
  limitFromAvailable,
  peakHeadroomBytes,
  ratioToLimit,
} from './headroom';

describe('headroom math', () => {
  it('gives 212 MiB of headroom to a 300 MiB working set under a 512 MiB limit', () => {
    expect(headroomBytes(512 * MiB, 300 * MiB)).toBe(212 * MiB);
    expect(ratioToLimit(300 * MiB, 512 * MiB)).toBeCloseTo(0.5859, 4);
  });

  it('lets a working set above the limit give negative headroom and a ratio above 1', () => {
    expect(headroomBytes(128 * MiB, 155 * MiB)).toBe(-27 * MiB);
    expect(ratioToLimit(155 * MiB, 128 * MiB)).toBeCloseTo(1.2109, 4);
  });

  it('has no headroom and no ratio without a limit, never 0 and never 100 %', () => {
    expect(headroomBytes(null, 300 * MiB)).toBeNull();
    expect(ratioToLimit(300 * MiB, null)).toBeNull();
    expect(ratioToLimit(300 * MiB, 0)).toBeNull();
  });

  it('has no headroom when the working set is unknown', () => {
    expect(headroomBytes(512 * MiB, null)).toBeNull();
    expect(ratioToLimit(null, 512 * MiB)).toBeNull();
  });

  it('takes inactive file as usage minus working set (C6: 256 Mi usage, 56 Mi working set → 200 Mi)', () => {
    expect(inactiveFileBytes(256 * MiB, 56 * MiB)).toBe(200 * MiB);
  });

  it('clamps inactive file at 0 when the working set reads above usage', () => {
    expect(inactiveFileBytes(41 * MiB, 42 * MiB)).toBe(0);
    expect(inactiveFileBytes(null, 42 * MiB)).toBeNull();
  });

  it('recovers coredns’s 170 MiB limit from available + working set', () => {
    expect(limitFromAvailable(172007424, 6250496)).toBe(170 * MiB);
    expect(limitFromAvailable(null, 6250496)).toBeNull();
  });

  it('measures peak headroom against the peak (C1: peak at the 50 Mi limit leaves 0)', () => {
    expect(peakHeadroomBytes(50 * MiB, 50 * MiB)).toBe(0);
    expect(ratioToLimit(50 * MiB, 50 * MiB)).toBe(1);
  });

  it('measures the distance to the kubelet’s 100 Mi hard eviction threshold', () => {
    expect(DEFAULT_EVICTION_HARD_BYTES).toBe(104857600);
    expect(evictionDistanceBytes(2429980672)).toBe(2325123072);
    expect(evictionDistanceBytes(60 * MiB)).toBe(-40 * MiB);
    expect(evictionDistanceBytes(600 * MiB, 500 * MiB)).toBe(100 * MiB);
    expect(evictionDistanceBytes(null)).toBeNull();
  });

  const bytes = fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: null });

  it('keeps headroom + working set = limit whenever both are known', () => {
    fc.assert(
      fc.property(bytes, bytes, (limit, workingSet) => {
        const headroom = headroomBytes(limit, workingSet);
        return limit === null || workingSet === null ? headroom === null : headroom! + workingSet === limit;
      })
    );
  });

  it('has a ratio exactly when there is a positive limit and a working set', () => {
    fc.assert(
      fc.property(bytes, bytes, (limit, workingSet) => {
        const ratio = ratioToLimit(workingSet, limit);
        return (ratio === null) === (limit === null || limit === 0 || workingSet === null);
      })
    );
  });

  it('never gives a negative inactive file', () => {
    fc.assert(
      fc.property(bytes, bytes, (usage, workingSet) => {
        const inactive = inactiveFileBytes(usage, workingSet);
        return inactive === null || inactive >= 0;
      })
    );
  });
});
