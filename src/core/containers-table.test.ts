import { joinContainers } from './containers';
import { containersTable } from './containers-table';
import { ColumnFrame } from './frame';
import { MiB } from './headroom';
import { parseSummary } from './kubelet-summary';
import { notice } from './notice';
import { parsePodList } from './pod-list';
import { sidecarContainer, sidecarResponse, summaryBody, summaryContainer, v1Pod, v1PodList } from './test-objects';

function column(frame: ColumnFrame, name: string) {
  const found = frame.fields.find((f) => f.name === name);
  if (!found) {
    throw new Error(`no column ${name}`);
  }
  return found;
}

describe('containersTable', () => {
  const pods = parsePodList(
    v1PodList(
      v1Pod({
        name: 'checkout-6f7c9',
        uid: 'u-1',
        containers: [
          { name: 'app', limit: '512Mi', request: '512Mi' },
          { name: 'proxy', limit: '128Mi', request: '64Mi', restartCount: 2 },
          { name: 'cron' },
        ],
      })
    )
  ).pods;
  const summary = parseSummary(
    summaryBody('node-a', [
      {
        name: 'checkout-6f7c9',
        uid: 'u-1',
        containers: [
          summaryContainer('app', { usage: 340 * MiB, workingSet: 300 * MiB, rss: 280 * MiB }),
          summaryContainer('proxy', { usage: 160 * MiB, workingSet: 155 * MiB, rss: 150 * MiB }),
          summaryContainer('cron', { usage: 12 * MiB, workingSet: 10 * MiB, rss: 9 * MiB }),
        ],
      },
    ]),
    'node-a'
  ).summary!;
  const sidecar = sidecarContainer({
    identity: {
      namespace: 'shop',
      pod: 'checkout-6f7c9',
      container: 'proxy',
      podUid: 'u-1',
      containerId: null,
      cgroupPath: 'p',
    },
    lifetimePeakBytes: 170 * MiB,
    windows: [
      {
        startMs: Date.parse('2024-05-02T08:59:50Z'),
        endMs: Date.parse('2024-05-02T09:00:00Z'),
        peakBytes: 160 * MiB,
        peakExact: true,
        lastBytes: 158 * MiB,
        workingSetBytes: 155 * MiB,
        limitHit: true,
        samples: 10,
      },
    ],
  });
  const rows = joinContainers({ summaries: [summary], pods, sidecars: [sidecarResponse('node-a', [sidecar])] });

  it('has one row per container, identity first, with units bytes and percentunit', () => {
    const frame = containersTable(rows, { refId: 'A' });

    expect(frame.refId).toBe('A');
    expect(frame.fields.slice(0, 5).map((f) => f.name)).toEqual(['namespace', 'pod', 'container', 'node', 'qosClass']);
    expect(column(frame, 'container').values).toEqual(['app', 'proxy', 'cron']);
    expect(column(frame, 'limit')).toMatchObject({ unit: 'bytes', values: [512 * MiB, 128 * MiB, null] });
    expect(column(frame, 'workingSet').values).toEqual([300 * MiB, 155 * MiB, 10 * MiB]);
    expect(column(frame, 'headroom').values).toEqual([212 * MiB, -27 * MiB, null]);
    expect(column(frame, 'workingSetToLimit').unit).toBe('percentunit');
    expect(column(frame, 'inactiveFile').values).toEqual([40 * MiB, 5 * MiB, 2 * MiB]);
    expect(column(frame, 'restarts').values).toEqual([0, 2, 0]);
    expect(frame.fields.every((f) => f.values.length === 3)).toBe(true);
  });

  it('shows the sidecar columns for the container that has one and leaves them empty elsewhere', () => {
    const frame = containersTable(rows);

    expect(column(frame, 'peak').values).toEqual([null, 160 * MiB, null]);
    expect(column(frame, 'lifetimePeak').values).toEqual([null, 170 * MiB, null]);
    expect(column(frame, 'peakToLimit').values).toEqual([null, 1.25, null]);
    expect(column(frame, 'peakMethod').values).toEqual([null, 'v2-peak-reset', null]);
    expect(column(frame, 'limitHits').values).toEqual([null, 1, null]);
    expect(column(frame, 'oomKills').values).toEqual([null, 0, null]);
  });

  it('says "unlimited" rather than a limit source for a container without a limit, and why in notes', () => {
    const frame = containersTable(rows);

    expect(column(frame, 'limitSource').values).toEqual(['spec', 'spec', 'unlimited']);
    expect(column(frame, 'notes').values[2]).toBe('no memory limit in the pod spec: unlimited, so no headroom');
  });

  it('carries frame notices and gives an empty table with the same columns when there are no rows', () => {
    const frame = containersTable([], { notices: [notice('warning', 'node node-b did not answer within 5 s')] });

    expect(frame.fields.map((f) => f.values.length)).toEqual(frame.fields.map(() => 0));
    expect(frame.fields).toHaveLength(containersTable(rows).fields.length);
    expect(frame.notices).toEqual([{ severity: 'warning', text: 'node node-b did not answer within 5 s' }]);
  });
});
