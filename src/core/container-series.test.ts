import { ContainerRow, joinContainers } from './containers';
import { containerMemorySeries } from './container-series';
import { ColumnFrame } from './frame';
import { MiB } from './headroom';
import { parseSummary } from './kubelet-summary';
import { parsePodList } from './pod-list';
import { sidecarContainer, sidecarResponse, summaryBody, summaryContainer, v1Pod, v1PodList } from './test-objects';

const t = (hhmmss: string) => Date.parse(`2024-05-02T${hhmmss}Z`);

/** The value field of the frame that carries the named measure. */
function field(frames: ColumnFrame[], name: string) {
  const frame = frames.find((f) => f.fields[1]?.name === name);
  if (!frame) {
    throw new Error(`no frame for ${name}: ${frames.map((f) => f.name).join(', ')}`);
  }
  return frame.fields[1];
}

function rowsFor(withSidecar: boolean): ContainerRow[] {
  const pods = parsePodList(
    v1PodList(v1Pod({ name: 'api-1', uid: 'u-1', nodeName: 'node-a', containers: [{ name: 'api', limit: '512Mi' }] }))
  ).pods;
  const summary = parseSummary(
    summaryBody('node-a', [
      {
        name: 'api-1',
        uid: 'u-1',
        containers: [
          summaryContainer('api', {
            usage: 340 * MiB,
            workingSet: 300 * MiB,
            rss: 280 * MiB,
            time: '2024-05-02T09:00:07Z',
          }),
        ],
      },
    ]),
    'node-a'
  ).summary!;
  const window = (start: string, end: string, peak: number) => ({
    startMs: t(start),
    endMs: t(end),
    peakBytes: peak,
    peakExact: true,
    lastBytes: 330 * MiB,
    workingSetBytes: 290 * MiB,
    limitHit: false,
    samples: 10,
  });
  const sidecar = sidecarContainer({
    identity: { namespace: 'shop', pod: 'api-1', container: 'api', podUid: 'u-1', containerId: null, cgroupPath: 'x' },
    windows: [window('08:59:50', '09:00:00', 480 * MiB), window('09:00:00', '09:00:10', 400 * MiB)],
  });
  return joinContainers({
    summaries: [summary],
    pods,
    sidecars: withSidecar ? [sidecarResponse('node-a', [sidecar])] : [],
  });
}

describe('containerMemorySeries', () => {
  it('gives one timeseries-multi frame per container and measure: time first, one value labelled with the container', () => {
    const frames = containerMemorySeries(rowsFor(false), { refId: 'A' });

    expect(frames.map((f) => f.name)).toEqual([
      'shop/api-1/api usage',
      'shop/api-1/api working set',
      'shop/api-1/api rss',
      'shop/api-1/api limit',
      'shop/api-1/api headroom',
      'shop/api-1/api working set / limit',
    ]);
    for (const frame of frames) {
      expect(frame.meta).toEqual({ type: 'timeseries-multi', typeVersion: [0, 1] });
      expect(frame.refId).toBe('A');
      expect(frame.fields).toHaveLength(2);
      expect(frame.fields[0]).toMatchObject({ name: 'time', type: 'time', values: [t('09:00:07')] });
      expect(frame.fields[0].labels).toBeUndefined();
      expect(frame.fields[1].labels).toEqual({ namespace: 'shop', pod: 'api-1', container: 'api', node: 'node-a' });
    }
    expect(field(frames, 'working set')).toMatchObject({ unit: 'bytes', values: [300 * MiB] });
    expect(field(frames, 'headroom').values).toEqual([212 * MiB]);
    expect(field(frames, 'working set / limit')).toMatchObject({ unit: 'percentunit', values: [300 / 512] });
  });

  it('adds the sidecar’s windows at their end times, with the window peak and peak / limit', () => {
    const frames = containerMemorySeries(rowsFor(true));

    expect(frames[0].fields[0].values).toEqual([t('09:00:00'), t('09:00:07'), t('09:00:10')]);
    expect(field(frames, 'window peak').values).toEqual([480 * MiB, null, 400 * MiB]);
    expect(field(frames, 'peak / limit').values).toEqual([480 / 512, null, 400 / 512]);
    expect(field(frames, 'working set').values).toEqual([290 * MiB, 300 * MiB, 290 * MiB]);
    expect(field(frames, 'rss').values).toEqual([null, 280 * MiB, null]);
    expect(field(frames, 'limit').values).toEqual([512 * MiB, 512 * MiB, 512 * MiB]);
  });

  it('answers containers without any timed sample with one empty frame carrying the notices', () => {
    const rows = rowsFor(false).map((r) => ({ ...r, timeMs: null }));

    const frames = containerMemorySeries(rows, { notices: [{ severity: 'warning', text: 'node node-a timed out' }] });

    expect(frames).toHaveLength(1);
    expect(frames[0].fields).toEqual([]);
    expect(frames[0].notices).toEqual([{ severity: 'warning', text: 'node node-a timed out' }]);
  });
});
