import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { lastValueFrom } from 'rxjs';

import { ShimBackendSrv } from './backend-srv';
import { interpolateRouteTemplate, PluginRoute, readPluginRoutes, resolveProxyRequest } from './proxy-routes';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.service-account';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

let upstream: Server;
let upstreamUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url?.startsWith('/api/v1/nodes/broken')) {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head></html>');
    } else if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"kind":"Status","code":401,"message":"Unauthorized"}');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"kind":"NodeList","items":[]}');
    }
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(() => {
  upstream.close();
});

beforeEach(() => {
  seen.length = 0;
});

function backendSrv(token: string | undefined, routes: PluginRoute[] = readPluginRoutes()) {
  return new ShimBackendSrv({
    datasources: [
      { uid: 'headroom', jsonData: { apiServerUrl: upstreamUrl }, secureJsonData: token ? { token } : {}, routes },
    ],
  });
}

describe('data source proxy routes from plugin.json', () => {
  it('plugin.json declares the k8s route with the token from secureJsonData as a bearer header', () => {
    const k8s = readPluginRoutes().find((route) => route.path === 'k8s');

    expect(k8s?.url).toBe('{{ .JsonData.apiServerUrl }}');
    expect(k8s?.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.token }}' }]);
  });

  it('fills Go template actions like Grafana: values, <no value> when unset, orEmpty', () => {
    const data = { jsonData: { apiServerUrl: 'https://10.0.0.1:6443', sidecarPort: 9180 }, secureJsonData: {} };

    expect(interpolateRouteTemplate('{{ .JsonData.apiServerUrl }}/api', data)).toBe('https://10.0.0.1:6443/api');
    expect(interpolateRouteTemplate('{{.JsonData.sidecarPort}}', data)).toBe('9180');
    expect(interpolateRouteTemplate('Bearer {{ .SecureJsonData.token }}', data)).toBe('Bearer <no value>');
    expect(interpolateRouteTemplate('Bearer {{ .SecureJsonData.token | orEmpty }}', data)).toBe('Bearer ');
  });

  it('sends a proxy URL to the route URL plus the rest of the path, query kept, token only in the header', () => {
    const target = resolveProxyRequest(
      '/api/datasources/proxy/uid/headroom/k8s/api/v1/pods?labelSelector=app%3Dapi',
      'GET',
      [
        {
          uid: 'headroom',
          jsonData: { apiServerUrl: 'https://10.0.0.1:6443/' },
          secureJsonData: { token: TOKEN },
          routes: readPluginRoutes(),
        },
      ]
    );

    expect(target).toEqual({
      url: 'https://10.0.0.1:6443/api/v1/pods?labelSelector=app%3Dapi',
      headers: { Authorization: `Bearer ${TOKEN}` },
      route: 'k8s',
    });
  });
});

describe('stand-in BackendSrv.fetch', () => {
  it('reaches the API server through the k8s route with the token injected as a header, never in the URL', async () => {
    const srv = backendSrv(TOKEN);
    const response = await lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/headroom/k8s/api/v1/nodes' }));

    expect(response.status).toBe(200);
    expect(response.data).toEqual({ kind: 'NodeList', items: [] });
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/api/v1/nodes');
    expect(seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(srv.sent[0].targetUrl).not.toContain(TOKEN);
    expect(srv.sent[0].grafanaUrl).not.toContain(TOKEN);
  });

  it("turns the API server's 401 into Grafana's 400 'Authentication to data source failed'", async () => {
    const srv = backendSrv('wrong-token');
    const error = await lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/headroom/k8s/api/v1/nodes' })).catch(
      (e: unknown) => e
    );

    expect(error).toMatchObject({
      status: 400,
      statusText: 'Bad Request',
      data: {
        error: 'Bad Request',
        response: 'Authentication to data source failed',
        message: 'Authentication to data source failed',
      },
    });
  });

  it('rejects a non-2xx answer as a FetchError whose text body is wrapped like Grafana does', async () => {
    const srv = backendSrv(TOKEN);
    const error = await lastValueFrom(
      srv.fetch({ url: '/api/datasources/proxy/uid/headroom/k8s/api/v1/nodes/broken/proxy/stats/summary' })
    ).catch((e: unknown) => e);

    expect(error).toMatchObject({
      status: 502,
      statusText: 'Bad Gateway',
      data: {
        error: 'Bad Gateway',
        response: '<html><head><title>502 Bad Gateway</title></head></html>',
        message: '<html><head><title>502 Bad Gateway</title></head></html>',
      },
    });
  });

  it('a proxy path no route matches is refused by Grafana without reaching any upstream', async () => {
    const srv = backendSrv(TOKEN);
    const error = await lastValueFrom(srv.fetch({ url: '/api/datasources/proxy/uid/headroom/metrics' })).catch(
      (e: unknown) => e
    );

    expect(error).toMatchObject({ status: 400 });
    expect(seen).toHaveLength(0);
  });
});
