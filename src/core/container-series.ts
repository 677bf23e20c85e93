// Container memory over time in Grafana's data-plane "timeseries-multi" shape: one frame per container and measure,
// each with the time field first and one numeric field labelled with namespace, pod, container and node.
import { ContainerRow } from './containers';
import { Column, ColumnFrame, ColumnValue } from './frame';
import { headroomBytes, ratioToLimit } from './headroom';
import { Notice } from './notice';

export const TIMESERIES_MULTI: ColumnFrame['meta'] = { type: 'timeseries-multi', typeVersion: [0, 1] };

export interface SeriesOptions {
  refId?: string;
  /** Frame-level notices; they go on the first frame. */
  notices?: Notice[];
}

interface Point {
  timeMs: number;
  usage: number | null;
  workingSet: number | null;
  rss: number | null;
  peak: number | null;
}

/** The name of a container's series frame: `namespace/pod/container`. */
export function seriesName(row: Pick<ContainerRow, 'namespace' | 'pod' | 'container'>): string {
  return `${row.namespace}/${row.pod}/${row.container}`;
}

/**
 * Builds one frame per container and measure (usage, working set, RSS, limit, headroom, working set / limit; with a
 * sidecar also window peak and peak / limit): the kubelet's sample at its own `time`, and with a sidecar one point per
 * window at the window's end. A container with no timed sample gets no frames. When no container has one, a single
 * frame without fields carries the notices (Grafana's "no data").
 */
export function containerMemorySeries(rows: readonly ContainerRow[], options: SeriesOptions = {}): ColumnFrame[] {
  const frames: ColumnFrame[] = [];

  for (const row of rows) {
    const points: Point[] = [];
    const sidecar = row.sidecar;
    if (sidecar) {
      for (const window of sidecar.windows) {
        points.push({
          timeMs: window.endMs,
          usage: window.lastBytes,
          workingSet: window.workingSetBytes,
          rss: null,
          peak: window.peakBytes,
        });
      }
    }
    if (row.timeMs !== null) {
      points.push({
        timeMs: row.timeMs,
        usage: row.usageBytes,
        workingSet: row.workingSetBytes,
        rss: row.rssBytes,
        peak: null,
      });
    }
    if (points.length === 0) {
      continue;
    }
    frames.push(...seriesFrames(row, mergePointsByTime(points), options.refId));
  }

  if (frames.length === 0) {
    return [{ refId: options.refId, fields: [], notices: options.notices ?? [], meta: TIMESERIES_MULTI }];
  }
  frames[0].notices = options.notices ?? [];
  return frames;
}

/** Sorts points by time; two points at the same time become one, the later-listed values filling in. */
function mergePointsByTime(points: Point[]): Point[] {
  points.sort((a, b) => a.timeMs - b.timeMs);
  const merged: Point[] = [];
  for (const point of points) {
    const last = merged[merged.length - 1];
    if (last && last.timeMs === point.timeMs) {
      last.usage = point.usage ?? last.usage;
      last.workingSet = point.workingSet ?? last.workingSet;
      last.rss = point.rss ?? last.rss;
      last.peak = point.peak ?? last.peak;
    } else {
      merged.push({ ...point });
    }
  }
  return merged;
}

function seriesFrames(row: ContainerRow, points: Point[], refId: string | undefined): ColumnFrame[] {
  const labels: Record<string, string> = { namespace: row.namespace, pod: row.pod, container: row.container };
  if (row.node !== null) {
    labels.node = row.node;
  }
  const limit = row.limitBytes;
  const series = (name: string, unit: string, values: ColumnValue[]): Column => ({
    name,
    type: 'number',
    values,
    unit,
    labels,
  });

  const time: Column = { name: 'time', type: 'time', values: points.map((p) => p.timeMs) };
  const fields: Column[] = [
    series(
      'usage',
      'bytes',
      points.map((p) => p.usage)
    ),
    series(
      'working set',
      'bytes',
      points.map((p) => p.workingSet)
    ),
    series(
      'rss',
      'bytes',
      points.map((p) => p.rss)
    ),
    series(
      'limit',
      'bytes',
      points.map(() => limit)
    ),
    series(
      'headroom',
      'bytes',
      points.map((p) => headroomBytes(limit, p.workingSet))
    ),
    series(
      'working set / limit',
      'percentunit',
      points.map((p) => ratioToLimit(p.workingSet, limit))
    ),
  ];
  if (row.sidecar) {
    fields.push(
      series(
        'window peak',
        'bytes',
        points.map((p) => p.peak)
      )
    );
    fields.push(
      series(
        'peak / limit',
        'percentunit',
        points.map((p) => ratioToLimit(p.peak, limit))
      )
    );
  }

  const name = seriesName(row);
  return fields.map((field) => ({
    name: `${name} ${field.name}`,
    refId,
    fields: [time, field],
    notices: [],
    meta: TIMESERIES_MULTI,
  }));
}
