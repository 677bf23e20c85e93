/**
 * The Headroom data source as Grafana constructs it in the browser: DOM installed, `BackendSrv` and `TemplateSrv`
 * registered, instance settings with the proxy URL `/api/datasources/proxy/uid/<uid>`, the routes of plugin.json
 * served with the instance's jsonData and secureJsonData.
 */
import type { DataQueryRequest, DataSourceInstanceSettings } from '@grafana/data';

import type { DataSource } from '../../src/datasource';
import type { HeadroomOptions, HeadroomQuery } from '../../src/types';
import { ShimBackendSrv } from './backend-srv';
import { installDom, quietly } from './dom';
import { PluginRoute, readPluginRoutes } from './proxy-routes';
import { MapTemplateSrv } from './template-srv';

export interface HeadroomInstanceOptions {
  jsonData: HeadroomOptions;
  secureJsonData?: Record<string, string>;
  /** Dashboard variables for `$var` in queries. */
  variables?: Record<string, string | string[]>;
  uid?: string;
  /** Default: the routes of the repository's `src/plugin.json`. */
  routes?: PluginRoute[];
  dataProxyTimeoutMs?: number;
  /** The data source class to construct; default the repository's `src/datasource.ts` (the built bundle's for dist checks). */
  dataSourceClass?: new (settings: DataSourceInstanceSettings<HeadroomOptions>) => DataSource;
}

export interface HeadroomInstance {
  datasource: DataSource;
  backendSrv: ShimBackendSrv;
  templateSrv: MapTemplateSrv;
  settings: DataSourceInstanceSettings<HeadroomOptions>;
}

/**
 * Installs the DOM and loads Grafana's packages and the plugin, a few seconds of CPU; call it first where that must
 * not hold up later work. `createHeadroomInstance` calls it too and is then quick.
 */
export function loadHeadroomModules() {
  installDom();
  const runtime = quietly(() => require('@grafana/runtime') as typeof import('@grafana/runtime'));
  const plugin = quietly(() => require('../../src/datasource') as typeof import('../../src/datasource'));
  return { runtime, plugin };
}

/** Sets up the stand-in Grafana and constructs the plugin's `DataSource` the way Grafana would. */
export function createHeadroomInstance(options: HeadroomInstanceOptions): HeadroomInstance {
  const { runtime, plugin } = loadHeadroomModules();
  const uid = options.uid ?? 'headroom';
  const { setBackendSrv, setTemplateSrv } = runtime;
  const HeadroomDataSource = options.dataSourceClass ?? plugin.DataSource;

  const backendSrv = new ShimBackendSrv({
    datasources: [
      {
        uid,
        jsonData: options.jsonData as Record<string, unknown>,
        secureJsonData: options.secureJsonData ?? {},
        routes: options.routes ?? readPluginRoutes(),
      },
    ],
    dataProxyTimeoutMs: options.dataProxyTimeoutMs,
  });
  const templateSrv = new MapTemplateSrv(options.variables);
  setBackendSrv(backendSrv);
  setTemplateSrv(templateSrv);

  const settings = {
    id: 1,
    uid,
    type: 'headroom-memory-datasource',
    name: 'Headroom',
    access: 'proxy',
    url: `/api/datasources/proxy/uid/${uid}`,
    jsonData: options.jsonData,
    secureJsonFields: Object.fromEntries(Object.keys(options.secureJsonData ?? {}).map((key) => [key, true])),
    readOnly: false,
    meta: {
      id: 'headroom-memory-datasource',
      name: 'Headroom',
      type: 'datasource',
      info: {
        author: { name: 'Headroom' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
      module: '',
      baseUrl: '',
    },
  } as unknown as DataSourceInstanceSettings<HeadroomOptions>;

  return { datasource: new HeadroomDataSource(settings), backendSrv, templateSrv, settings };
}

/** A `DataQueryRequest` as a panel sends it: the last `rangeMs` up to `nowMs`, the given targets. */
export function queryRequest(
  targets: HeadroomQuery[],
  options: { nowMs?: number; rangeMs?: number; requestId?: string } = {}
): DataQueryRequest<HeadroomQuery> {
  const { dateTime } = require('@grafana/data') as typeof import('@grafana/data');
  const to = dateTime(options.nowMs ?? Date.now());
  const from = dateTime(to.valueOf() - (options.rangeMs ?? 3_600_000));
  return {
    requestId: options.requestId ?? 'Q1',
    interval: '15s',
    intervalMs: 15_000,
    range: { from, to, raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  } as DataQueryRequest<HeadroomQuery>;
}
