import { ContainerRow, joinContainers } from './containers';
import { containerMemorySeries } from './container-series';
import { ColumnFrame } from './frame';
import { MiB } from './headroom';
import { parseSummary } from './kubelet-summary';
import { parsePodList } from './pod-list';
import { sidecarContainer, sidecarResponse, summaryBody, summaryContainer, v1Pod, v1PodList } from './test-objects';

const t = (hhmmss: string) => Date.parse(`2024-05-02T${hhmmss}Z`);

function values(frame: ColumnFrame, name: string) {
  return frame.fields.find((f) => f.name === name)!.values;
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
  it('gives one timeseries-multi frame per container, time first, labelled with namespace, pod, container and node', () => {
    const [frame] = containerMemorySeries(rowsFor(false), { refId: 'A' });

    expect(frame.meta).toEqual({ type: 'timeseries-multi', typeVersion: [0, 1] });
    expect(frame.name).toBe('shop/api-1/api');
    expect(frame.refId).toBe('A');
    expect(frame.fields.map((f) => f.name)).toEqual([
      'time',
      'usage',
      'working set',
      'rss',
      'limit',
      'headroom',
      'working set / limit',
    ]);
    expect(frame.fields[0]).toMatchObject({ type: 'time', values: [t('09:00:07')] });
    expect(frame.fields[0].labels).toBeUndefined();
    expect(frame.fields[2]).toMatchObject({
      unit: 'bytes',
      labels: { namespace: 'shop', pod: 'api-1', container: 'api', node: 'node-a' },
      values: [300 * MiB],
    });
    expect(values(frame, 'headroom')).toEqual([212 * MiB]);
    expect(values(frame, 'working set / limit')).toEqual([300 / 512]);
  });

  it('adds the sidecar’s windows at their end times, with the window peak and peak / limit', () => {
    const [frame] = containerMemorySeries(rowsFor(true));

    expect(values(frame, 'time')).toEqual([t('09:00:00'), t('09:00:07'), t('09:00:10')]);
    expect(values(frame, 'window peak')).toEqual([480 * MiB, null, 400 * MiB]);
    expect(values(frame, 'peak / limit')).toEqual([480 / 512, null, 400 / 512]);
    expect(values(frame, 'working set')).toEqual([290 * MiB, 300 * MiB, 290 * MiB]);
    expect(values(frame, 'rss')).toEqual([null, 280 * MiB, null]);
    expect(values(frame, 'limit')).toEqual([512 * MiB, 512 * MiB, 512 * MiB]);
  });

  it('answers containers without any timed sample with one empty frame carrying the notices', () => {
    const rows = rowsFor(false).map((r) => ({ ...r, timeMs: null }));

    const frames = containerMemorySeries(rows, { notices: [{ severity: 'warning', text: 'node node-a timed out' }] });

    expect(frames).toHaveLength(1);
    expect(frames[0].fields).toEqual([]);
    expect(frames[0].notices).toEqual([{ severity: 'warning', text: 'node node-a timed out' }]);
  });
});
