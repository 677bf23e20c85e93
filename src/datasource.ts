import {
  AnnotationSupport,
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  MetricFindValue,
  ScopedVars,
  TestDataSourceResponse,
} from '@grafana/data';
import { from, merge, Observable, of } from 'rxjs';

import { ColumnFrame, notice, TimeRange } from './core';
import { checkHealth } from './data/health-check';
import { interpolateScope } from './data/interpolate';
import { KubeClient } from './data/kube-client';
import { liveQuery } from './data/live-query';
import { annotationFrame, queryFrames } from './data/query-frames';
import { resolveSettings, Settings } from './data/settings';
import { toDataFrame } from './data/to-data-frame';
import { findVariableValues } from './data/variables';
import { DEFAULT_QUERY, HeadroomOptions, HeadroomQuery, HeadroomVariableQuery, QueryType } from './types';

/** The refId of an annotation query, so `query` knows to answer with annotation events. */
export const ANNOTATION_REF_ID = 'HeadroomAnnotations';

/**
 * Headroom's data source: reads the Kubernetes API, kubelet summaries and peak sidecars through Grafana's data source
 * proxy (the token stays on the Grafana server) and hands the bodies to `core` for the joins and the math.
 */
export class DataSource extends DataSourceApi<HeadroomQuery, HeadroomOptions> {
  readonly settings: Settings;
  readonly client: KubeClient;

  /**
   * OOM kills, terminations and restarts of the selected pods (pod status), and every OOM kill and limit hit their
   * sidecars saw.
   */
  annotations: AnnotationSupport<HeadroomQuery> = {
    prepareQuery: (annotation) =>
      ({
        ...DEFAULT_QUERY,
        ...(annotation.target ?? {}),
        refId: ANNOTATION_REF_ID,
        live: false,
      }) as HeadroomQuery,
  };

  constructor(instanceSettings: DataSourceInstanceSettings<HeadroomOptions>) {
    super(instanceSettings);
    this.settings = resolveSettings(instanceSettings.jsonData);
    this.client = new KubeClient(instanceSettings.url ?? '', this.settings.nodeTimeoutMs);
  }

  getDefaultQuery(_: CoreApp): Partial<HeadroomQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: HeadroomQuery): boolean {
    return !query.hide;
  }

  /** Answers each target once, and keeps live targets refreshing until the panel unsubscribes. */
  query(request: DataQueryRequest<HeadroomQuery>): Observable<DataQueryResponse> {
    const range: TimeRange = { fromMs: request.range.from.valueOf(), toMs: request.range.to.valueOf() };
    const targets = request.targets.filter((t) => !t.hide);
    const live = targets.filter((t) => t.live && t.refId !== ANNOTATION_REF_ID);
    const once = targets.filter((t) => !live.includes(t));

    const streams: Array<Observable<DataQueryResponse>> = [];
    if (once.length > 0) {
      streams.push(from(this.answerOnce(once, request.scopedVars, range, live.length > 0)));
    }
    for (const target of live) {
      const spanMs = Math.max(0, range.toMs - range.fromMs);
      streams.push(
        liveQuery(
          () => {
            // Each refresh looks at the same span, ending now.
            const toMs = Date.now();
            return this.framesFor(target, request.scopedVars, { fromMs: toMs - spanMs, toMs });
          },
          {
            refId: target.refId,
            intervalMs: target.liveIntervalMs,
            keep: { keepMs: spanMs > 0 ? spanMs : undefined },
            merge: target.queryType === QueryType.ContainerMemory,
          }
        )
      );
    }
    return streams.length > 0 ? merge(...streams) : of({ data: [] });
  }

  /** Values for a template variable: namespaces, nodes, pods or containers of the pods in scope. */
  async metricFindQuery(query: HeadroomVariableQuery): Promise<MetricFindValue[]> {
    return findVariableValues(this.client, query);
  }

  /** Says which checks pass and which are missing: API server, token, list rights, node stats RBAC and a real summary. */
  async testDatasource(): Promise<TestDataSourceResponse> {
    const result = await checkHealth(this.client, this.settings, Date.now());
    return { status: result.status, message: result.message, details: result.details };
  }

  private async answerOnce(
    targets: HeadroomQuery[],
    scopedVars: ScopedVars,
    range: TimeRange,
    keyed: boolean
  ): Promise<DataQueryResponse> {
    const frames = await Promise.all(targets.map((target) => this.framesFor(target, scopedVars, range)));
    const data = frames.flatMap((list, i) => list.map((frame) => toDataFrame(frame, targets[i].refId)));
    return keyed ? { key: 'headroom-once', data } : { data };
  }

  private async framesFor(target: HeadroomQuery, scopedVars: ScopedVars, range: TimeRange): Promise<ColumnFrame[]> {
    const scope = interpolateScope(target, scopedVars);
    const context = { client: this.client, settings: this.settings, range };
    try {
      if (target.refId === ANNOTATION_REF_ID) {
        return [await annotationFrame(scope, context, target.refId, target.includeSidecars ?? true)];
      }
      return await queryFrames(target, scope, context);
    } catch (error) {
      // Cluster failures are notices already; this is the last guard so one target never fails the others.
      const text = error instanceof Error ? error.message : String(error);
      return [{ refId: target.refId, fields: [], notices: [notice('error', text)] }];
    }
  }
}
