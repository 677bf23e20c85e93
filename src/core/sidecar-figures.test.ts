import { MiB } from './headroom';
import { sidecarFigures } from './sidecar-figures';
import { sidecarContainer } from './test-objects';

const identity = {
  namespace: 'shop',
  pod: 'api-1',
  container: 'api',
  podUid: 'u-1',
  containerId: null,
  cgroupPath: 'x',
};
const window = (endMs: number, peakBytes: number | null, peakExact: boolean) => ({
  startMs: endMs - 10_000,
  endMs,
  peakBytes,
  peakExact,
  lastBytes: 40 * MiB,
  workingSetBytes: 38 * MiB,
  limitHit: false,
  samples: 10,
});

describe('sidecarFigures', () => {
  it('calls the peak exact only when every window in range is exact', () => {
    const sampled = sidecarContainer({
      identity,
      method: 'v2-peak-sampled',
      windows: [window(20_000, 45 * MiB, false), window(30_000, 44 * MiB, false)],
    });
    const exact = sidecarContainer({ identity, windows: [window(20_000, 45 * MiB, true)] });

    expect(sidecarFigures([sampled], null)).toMatchObject({
      peakExact: false,
      peakBytes: 45 * MiB,
      method: 'v2-peak-sampled',
    });
    expect(sidecarFigures([exact], null).peakExact).toBe(true);
  });

  it('leaves the peak unknown, never 0, when no window has one (C8: no memory.peak file)', () => {
    const figures = sidecarFigures(
      [
        sidecarContainer({
          identity,
          method: 'v2-sampled',
          lifetimePeakBytes: null,
          windows: [window(20_000, null, false)],
        }),
      ],
      null
    );

    expect(figures.peakBytes).toBeNull();
    expect(figures.lifetimePeakBytes).toBeNull();
  });

  it('leaves OOM kills unknown when the kernel does not count them', () => {
    const figures = sidecarFigures(
      [
        sidecarContainer({
          identity,
          cgroupVersion: 1,
          method: 'v1-sampled',
          events: { max: 4, high: null, oom: null, oom_kill: null },
        }),
      ],
      null
    );

    expect(figures.oomKills).toBeNull();
  });

  it('counts limit hits as at least the windows that saw the limit', () => {
    const hit = { ...window(20_000, 50 * MiB, true), limitHit: true };
    const figures = sidecarFigures([sidecarContainer({ identity, windows: [hit, { ...hit, endMs: 30_000 }] })], null);

    expect(figures.limitHits).toBe(2);
  });
});
