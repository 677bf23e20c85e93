import { FrameLike } from './containers-text';
import { liveContainerFrame, liveContainerText, liveFigures, liveUnavailableText } from './live-container-report';

const MiB = 1024 * 1024;
const WHO = { namespace: 'headroom-demo', pod: 'spiky-app', container: 'app' };
const RUN = {
  reads: [{ usageBytes: 27_938_816 }, { usageBytes: 27_262_976 }],
  samplerPeriodMs: 15_000,
  spikes: 4,
  spikeMs: 300,
  runMs: 16_400,
};

/** A Containers frame with a replayed row and the live row after it. */
function containersFrame(peak: number | null, peakMethod: string | null): FrameLike {
  return {
    name: 'containers',
    fields: [
      { name: 'namespace', values: ['kube-system', 'headroom-demo'] },
      { name: 'pod', values: ['coredns-66bff467f8-szddj', 'spiky-app'] },
      { name: 'container', values: ['coredns', 'app'] },
      { name: 'limit', values: [170 * MiB, 64 * MiB] },
      { name: 'peak', values: [null, peak] },
      { name: 'peakToLimit', values: [null, peak === null ? null : peak / (64 * MiB)] },
      { name: 'peakMethod', values: [null, peakMethod] },
    ],
  };
}

describe('the live container block', () => {
  it('sets the true peak of 94.9 % beside the highest 15 s sample of 41.6 % of the 64 MiB limit', () => {
    const figures = liveFigures([containersFrame(63_655_936, 'v1-reset')], WHO, RUN);

    expect(figures).toMatchObject({
      rowFound: true,
      limitBytes: 64 * MiB,
      peakBytes: 63_655_936,
      sampledMaxBytes: 27_938_816,
      sampledReads: 2,
    });
    expect(liveContainerText(figures)).toBe(
      [
        'Live container headroom-demo/spiky-app/app: 16 s run, 4 spikes of 300 ms',
        '  limit                64.0 MiB',
        '  true peak (sidecar)  60.7 MiB  94.9% of limit  v1-reset, exact',
        '  highest 15 s sample  26.6 MiB  41.6% of limit  2 reads of usage',
        '',
      ].join('\n')
    );
  });

  it('a peak the sidecar only sampled is called sampled, and a missing sidecar answer leaves the peak unknown', () => {
    const sampled = liveContainerText(liveFigures([containersFrame(63_655_936, 'v1-sampled')], WHO, RUN));
    const unknown = liveContainerText(liveFigures([containersFrame(null, null)], WHO, RUN));

    expect(sampled).toContain('v1-sampled, sampled');
    expect(unknown).toContain('  true peak (sidecar)         -                  no sidecar answer');
  });

  it('says so when the Containers query has no row for the live container', () => {
    const figures = liveFigures([{ name: 'containers', fields: [] }], WHO, RUN);

    expect(figures.rowFound).toBe(false);
    expect(figures.peakBytes).toBeNull();
    expect(liveContainerText(figures)).toContain('the Containers query returned no row for it');
  });

  it('the frame carries bytes and ratios with their units, or no row and a notice with the reason', () => {
    const frame = liveContainerFrame(liveFigures([containersFrame(63_655_936, 'v1-reset')], WHO, RUN));
    const skipped = liveContainerFrame({ unavailable: 'not running as root, so the memory cgroup cannot be written' });

    expect(frame.fields.find((f) => f.name === 'peak')).toEqual({
      name: 'peak',
      type: 'number',
      config: { unit: 'bytes' },
      values: [63_655_936],
    });
    expect(frame.fields.find((f) => f.name === 'sampledMaxToLimit')?.values).toEqual([27_938_816 / (64 * MiB)]);
    expect(skipped.fields.every((f) => f.values.length === 0)).toBe(true);
    expect(skipped.meta.notices).toEqual([
      {
        severity: 'info',
        text: 'live container not shown: not running as root, so the memory cgroup cannot be written',
      },
    ]);
    expect(liveUnavailableText('no cgroup v1 memory controller')).toBe(
      'Live container: not shown, no cgroup v1 memory controller\n'
    );
  });
});
