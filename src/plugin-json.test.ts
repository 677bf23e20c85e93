import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

import * as kubePaths from './data/kube-paths';
import { sharedPath } from './test-support/shared';

interface Route {
  path: string;
  url?: string;
  headers?: Array<{ name: string; content: string }>;
}

const pluginJson = JSON.parse(readFileSync(resolve(__dirname, 'plugin.json'), 'utf8'));
const routes: Route[] = pluginJson.routes;

/**
 * The route names the data source uses: the first path segment of every route prefix and of every proxy path it
 * builds, found by reading each export of its path module.
 */
function routesTheDataSourceUses(): string[] {
  const paths = Object.values(kubePaths).flatMap((value: unknown) => {
    if (typeof value === 'string') {
      return [value];
    }
    if (typeof value === 'function') {
      const build = value as (...args: unknown[]) => unknown;
      const path = build(...Array.from({ length: build.length }, () => 'n1'));
      return typeof path === 'string' ? [path] : [];
    }
    return [];
  });
  return [...new Set(paths.map((path) => path.split('/')[0]))].sort();
}

function compileGrafanaSchema() {
  const schema = JSON.parse(readFileSync(sharedPath('schemas', 'plugin.schema.json'), 'utf8'));
  // Grafana's schema writes `\-` in its id pattern, which JavaScript accepts only outside unicode mode.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('plugin.json', () => {
  it("is valid against Grafana's own plugin.json schema", () => {
    const validate = compileGrafanaSchema();

    const valid = validate(pluginJson);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the same schema rejects a route with a misspelled field, so the check above can fail', () => {
    const validate = compileGrafanaSchema();

    const valid = validate({ ...pluginJson, routes: [{ path: 'k8s', ulr: '{{ .JsonData.apiServerUrl }}' }] });

    expect(valid).toBe(false);
    expect(validate.errors?.map((error) => error.params)).toContainEqual({ additionalProperty: 'ulr' });
  });

  it('is the Headroom data source with metrics and annotations, for Grafana 12.4 and later', () => {
    expect(pluginJson).toMatchObject({
      type: 'datasource',
      id: 'headroom-memory-datasource',
      name: 'Headroom',
      metrics: true,
      annotations: true,
      dependencies: { grafanaDependency: '>=12.4.0' },
    });
  });

  it('declares exactly the proxy routes the data source builds paths for: k8s, kubelet and sidecar', () => {
    const declared = routes.map((route) => route.path).sort();

    expect(routesTheDataSourceUses()).toEqual(['k8s', 'kubelet', 'sidecar']);
    expect(declared).toEqual(routesTheDataSourceUses());
  });

  it('each route reaches the URL its jsonData setting names', () => {
    const urls = Object.fromEntries(routes.map((route) => [route.path, route.url]));

    expect(urls).toEqual({
      k8s: '{{ .JsonData.apiServerUrl }}',
      kubelet: '{{ .JsonData.kubeletUrl }}',
      sidecar: '{{ .JsonData.sidecarUrl }}',
    });
  });

  it('the token is injected as a bearer header on the k8s and kubelet routes and sent nowhere else', () => {
    const withToken = routes.filter((route) => JSON.stringify(route).includes('SecureJsonData.token'));
    const headers = Object.fromEntries(withToken.map((route) => [route.path, route.headers]));

    expect(headers).toEqual({
      k8s: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.token }}' }],
      kubelet: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.token }}' }],
    });
  });

  it('no route puts a secure value into its URL, where proxies and access logs would record it', () => {
    const urlsWithSecrets = routes.filter((route) => (route.url ?? '').includes('SecureJsonData'));

    expect(urlsWithSecrets).toEqual([]);
  });

  it('the logo files it names exist, so the catalog and the data source list can show them', () => {
    const logos: string[] = [pluginJson.info.logos.small, pluginJson.info.logos.large];

    const missing = logos.filter((logo) => {
      try {
        readFileSync(resolve(__dirname, logo));
        return false;
      } catch {
        return true;
      }
    });

    expect(missing).toEqual([]);
  });
});
