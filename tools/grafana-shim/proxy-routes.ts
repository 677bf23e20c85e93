/**
 * Grafana's data source proxy, as far as a frontend plugin can tell: a request to
 * `/api/datasources/proxy/uid/<uid>/<route path>/<rest>` goes to the route's URL + rest, with the route's headers,
 * after `{{ .JsonData.x }}` and `{{ .SecureJsonData.x }}` are filled in from the data source's settings on the server.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface RouteTemplatePair {
  name: string;
  content: string;
}

/** A `routes[]` entry of plugin.json. */
export interface PluginRoute {
  path: string;
  method?: string;
  url?: string;
  headers?: RouteTemplatePair[];
  urlParams?: RouteTemplatePair[];
}

/** What Grafana knows about one data source instance on its server. */
export interface ProxyDataSource {
  uid: string;
  jsonData: Record<string, unknown>;
  /** Decrypted only on the server; the browser never sees these. */
  secureJsonData: Record<string, string>;
  routes: PluginRoute[];
}

export interface ProxyTarget {
  url: string;
  headers: Record<string, string>;
  /** The matched route's path. */
  route: string;
}

/** A proxy request Grafana itself refuses, with the status and text it answers. */
export class ProxyRefusal extends Error {
  constructor(
    readonly status: number,
    readonly statusText: string,
    message: string
  ) {
    super(message);
    this.name = 'ProxyRefusal';
  }
}

export const DATASOURCE_PROXY_PREFIX = '/api/datasources/proxy/uid/';

/** The routes declared in the plugin's plugin.json (default: the repository's `src/plugin.json`). */
export function readPluginRoutes(pluginJsonPath = resolve(__dirname, '..', '..', 'src', 'plugin.json')): PluginRoute[] {
  const plugin = JSON.parse(readFileSync(pluginJsonPath, 'utf8')) as { routes?: PluginRoute[] };
  return plugin.routes ?? [];
}

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;

/**
 * Fills a route template as Go's text/template does for Grafana: `.JsonData.key`, `.SecureJsonData.key`, optionally
 * piped to `orEmpty`. A key that is not set prints `<no value>`, as in Grafana.
 */
export function interpolateRouteTemplate(
  text: string,
  data: { jsonData: Record<string, unknown>; secureJsonData: Record<string, string> }
): string {
  return text.replace(ACTION, (_whole, action: string) => {
    const [expression, ...pipes] = action.split('|').map((part) => part.trim());
    const match = /^\.(JsonData|SecureJsonData)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression);
    if (!match || pipes.some((pipe) => pipe !== 'orEmpty')) {
      throw new ProxyRefusal(500, 'Internal Server Error', `could not parse template ${text}`);
    }
    const source: Record<string, unknown> = match[1] === 'JsonData' ? data.jsonData : data.secureJsonData;
    const has = Object.prototype.hasOwnProperty.call(source, match[2]);
    const value = has ? source[match[2]] : undefined;
    if (value === undefined || value === null) {
      return pipes.includes('orEmpty') || (has && value === null) ? '' : '<no value>';
    }
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

/**
 * Where Grafana's proxy sends a request for a data source URL, or null when the URL is not a data source proxy URL.
 * The first route (in plugin.json order) whose path prefixes the proxied path and whose method fits is used.
 */
export function resolveProxyRequest(
  requestUrl: string,
  method: string,
  datasources: readonly ProxyDataSource[]
): ProxyTarget | null {
  const parsed = new URL(requestUrl, 'http://grafana.local');
  if (!parsed.pathname.startsWith(DATASOURCE_PROXY_PREFIX)) {
    return null;
  }
  const afterPrefix = parsed.pathname.slice(DATASOURCE_PROXY_PREFIX.length);
  const slash = afterPrefix.indexOf('/');
  const uid = decodeURIComponent(slash < 0 ? afterPrefix : afterPrefix.slice(0, slash));
  const proxyPath = slash < 0 ? '' : afterPrefix.slice(slash + 1);

  const datasource = datasources.find((candidate) => candidate.uid === uid);
  if (!datasource) {
    throw new ProxyRefusal(404, 'Not Found', 'Unable to load datasource meta data');
  }

  const route = datasource.routes.find(
    (candidate) =>
      (!candidate.method || candidate.method === '*' || candidate.method.toUpperCase() === method.toUpperCase()) &&
      cleanPath(proxyPath).startsWith(cleanPath(candidate.path))
  );
  if (!route || !route.url) {
    throw new ProxyRefusal(400, 'Bad Request', `no route of the plugin matches "${proxyPath}"`);
  }

  const data = { jsonData: datasource.jsonData, secureJsonData: datasource.secureJsonData };
  const routeUrl = interpolateRouteTemplate(route.url, data);
  let base: URL;
  try {
    base = new URL(routeUrl);
  } catch {
    throw new ProxyRefusal(502, 'Bad Gateway', `the route "${route.path}" has no usable URL ("${routeUrl}")`);
  }

  const rest = cleanPath(proxyPath).slice(cleanPath(route.path).length);
  const target = new URL(base.toString());
  target.pathname = joinUrlPath(base.pathname, rest);
  target.search = parsed.search;
  for (const param of route.urlParams ?? []) {
    target.searchParams.append(
      interpolateRouteTemplate(param.name, data),
      interpolateRouteTemplate(param.content, data)
    );
  }

  const headers: Record<string, string> = {};
  for (const header of route.headers ?? []) {
    headers[header.name] = interpolateRouteTemplate(header.content, data);
  }
  return { url: target.toString(), headers, route: route.path };
}

function cleanPath(path: string): string {
  return path.replace(/^\/+/, '');
}

/** Joins a base path and a rest with exactly one slash between them, keeping a trailing slash of the rest. */
function joinUrlPath(base: string, rest: string): string {
  if (rest === '') {
    return base;
  }
  return `${base.replace(/\/+$/, '')}/${rest.replace(/^\/+/, '')}`;
}
