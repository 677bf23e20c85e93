// A Headroom panel query for the foundation SDK: the SDK ships builders for Grafana's own data sources only, so a
// third-party query is a plain `HeadroomQuery` behind cog's `Builder` interface.
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';

import { HeadroomQuery, QueryType } from '../src/types';

/** A Headroom query as it is stored in a dashboard: the data source's query model plus its data source. */
export type HeadroomTarget = HeadroomQuery & { datasource: common.DataSourceRef; _implementsDataqueryVariant(): void };

/** Builds one Headroom target; scope fields take template variables (`$namespace`). */
export class HeadroomQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly internal: HeadroomTarget;

  constructor(queryType: QueryType, datasource: common.DataSourceRef) {
    this.internal = {
      refId: 'A',
      datasource,
      queryType,
      includeSidecars: true,
      live: false,
      _implementsDataqueryVariant() {},
    };
  }

  build(): HeadroomTarget {
    return this.internal;
  }

  /** The data source this target reads, for the panel that holds it. */
  datasource(): common.DataSourceRef {
    return this.internal.datasource;
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  namespace(namespace: string): this {
    this.internal.namespace = namespace;
    return this;
  }

  pod(pod: string): this {
    this.internal.pod = pod;
    return this;
  }

  container(container: string): this {
    this.internal.container = container;
    return this;
  }
}
