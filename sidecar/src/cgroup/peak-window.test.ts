import { MiB } from './prepared-tree';
import { PeakWindowRing } from './peak-window';

const T0 = 1_700_000_000_000;

describe('peak window ring', () => {
  it('keeps the highest sample of each 1 s window and the last one', () => {
    const ring = new PeakWindowRing();
    [40, 48, 41].forEach((mib, index) => ring.addSample(T0 + index * 100, mib * MiB, (mib - 10) * MiB));
    ring.addSample(T0 + 1000, 39 * MiB, 29 * MiB);

    expect(ring.windowsBetween(T0, T0 + 1999)).toEqual([
      {
        startMs: T0,
        endMs: T0 + 1000,
        peakBytes: 48 * MiB,
        peakExact: false,
        lastBytes: 41 * MiB,
        workingSetBytes: 31 * MiB,
        limitHit: false,
        samples: 3,
      },
      {
        startMs: T0 + 1000,
        endMs: T0 + 2000,
        peakBytes: 39 * MiB,
        peakExact: false,
        lastBytes: 39 * MiB,
        workingSetBytes: 29 * MiB,
        limitHit: false,
        samples: 1,
      },
    ]);
  });

  it('raises a window to the exact kernel peak between samples and marks it exact', () => {
    const ring = new PeakWindowRing();
    ring.addSample(T0 + 100, 40 * MiB, null);
    ring.recordPeak(T0, 50 * MiB, true);
    ring.markLimitHit(T0 + 500);

    expect(ring.latest()).toMatchObject({ peakBytes: 50 * MiB, peakExact: true, limitHit: true, lastBytes: 40 * MiB });
  });

  it('keeps a peak above the limit as it is', () => {
    const ring = new PeakWindowRing();
    ring.recordPeak(T0, 300 * MiB, true);

    expect(ring.latest()?.peakBytes).toBe(300 * MiB);
  });

  it('forgets windows older than keepMs and returns only what it holds', () => {
    const ring = new PeakWindowRing({ windowMs: 1000, keepMs: 3000 });
    for (let second = 0; second < 5; second++) {
      ring.addSample(T0 + second * 1000, (10 + second) * MiB, null);
    }

    expect(ring.windowsBetween(T0, T0 + 10_000).map((window) => window.peakBytes)).toEqual(
      [12, 13, 14].map((m) => m * MiB)
    );
  });

  it('skips windows without samples after a gap', () => {
    const ring = new PeakWindowRing();
    ring.addSample(T0, 10 * MiB, null);
    ring.addSample(T0 + 5000, 20 * MiB, null);

    expect(ring.windowsBetween(T0, T0 + 5000).map((window) => window.startMs)).toEqual([T0, T0 + 5000]);
  });

  it('returns copies: changing a returned window changes nothing in the ring', () => {
    const ring = new PeakWindowRing();
    ring.addSample(T0, 10 * MiB, null);
    const [window] = ring.windowsBetween(T0, T0);
    window.peakBytes = 0;

    expect(ring.windowsBetween(T0, T0)[0].peakBytes).toBe(10 * MiB);
  });

  it('holds an unknown usage as null, not 0', () => {
    const ring = new PeakWindowRing();
    ring.addSample(T0, null, null);

    expect(ring.latest()).toMatchObject({ peakBytes: null, lastBytes: null, samples: 1 });
  });

  it('keeps 110 cgroups × 3,600 windows under 12 MiB', () => {
    const rings = Array.from({ length: 110 }, () => new PeakWindowRing());
    const total = rings.reduce((sum, ring) => sum + ring.byteLength, 0);

    expect(rings[0].capacity).toBe(3600);
    expect(total).toBe(110 * 3600 * 27);
    expect(total).toBeLessThan(12 * MiB);
  });
});
