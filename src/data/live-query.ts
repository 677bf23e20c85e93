import { DataQueryResponse, LoadingState } from '@grafana/data';
import { defer, exhaustMap, map, Observable, scan, timer } from 'rxjs';

import { ColumnFrame, KeepPolicy, mergeSeries } from '../core';
import { toDataFrame } from './to-data-frame';

/** Live mode refreshes no faster than this. */
export const MIN_LIVE_INTERVAL_MS = 1000;

export interface LiveOptions {
  refId: string;
  intervalMs: number | undefined;
  /** How much of each series to keep; typically the dashboard's time range. */
  keep: KeepPolicy;
  /** Time series are merged point by point; tables are replaced by each new answer. */
  merge: boolean;
}

/**
 * Re-runs `read` every interval (never two at once; a slow answer skips ticks) and emits the series merged with what
 * came before, so a line builds up without Prometheus. The timer stops when the panel unsubscribes.
 */
export function liveQuery(read: () => Promise<ColumnFrame[]>, options: LiveOptions): Observable<DataQueryResponse> {
  const intervalMs = Math.max(MIN_LIVE_INTERVAL_MS, options.intervalMs ?? MIN_LIVE_INTERVAL_MS);

  return timer(0, intervalMs).pipe(
    exhaustMap(() => defer(read)),
    scan(
      (previous: ColumnFrame[], next: ColumnFrame[]) =>
        options.merge ? mergeSeries(previous, next, options.keep) : next,
      []
    ),
    map((frames) => ({
      key: `headroom-live-${options.refId}`,
      state: LoadingState.Streaming,
      data: frames.map((frame) => toDataFrame(frame, options.refId)),
    }))
  );
}
