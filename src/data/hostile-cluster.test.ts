// The data source against a cluster that misbehaves: nodes that hang, refuse or answer garbage, answers that echo the
// token, and template variables that are not Kubernetes names. The panel always comes back, with what could be read
// and notices naming what could not.
import { DataFrame, DataQueryRequest, DataQueryResponse, DataSourceInstanceSettings, dateTime } from '@grafana/data';
import { lastValueFrom, Observable } from 'rxjs';

import { MiB } from '../core';
import { summaryBody, summaryContainer, v1Pod, v1PodList } from '../core/test-objects';
import { DataSource } from '../datasource';
import { HeadroomOptions, HeadroomQuery, QueryType } from '../types';
import { FakeKubeApi } from './fake-kube-api';

let mockApi = new FakeKubeApi();
let mockVariables: Record<string, string> = {};

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockApi.backendSrv,
  getTemplateSrv: () => ({
    replace: (value: string) => value.replace(/\$(\w+)/g, (whole, name) => mockVariables[name] ?? whole),
  }),
}));

const FROM = Date.parse('2024-05-02T08:00:00Z');
const TO = Date.parse('2024-05-02T09:00:00Z');
const TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bW9uaXRvcmluZzpncmFmYW5hIn0.c2lnbmF0dXJl';

function dataSource(options: HeadroomOptions = {}): DataSource {
  return new DataSource({
    id: 1,
    uid: 'headroom',
    type: 'headroom-memory-datasource',
    name: 'Headroom',
    url: mockApi.baseUrl,
    jsonData: { sidecarDiscovery: 'none', nodeTimeoutMs: 200, nodeConcurrency: 50, ...options },
    meta: {},
    readOnly: false,
    access: 'proxy',
  } as unknown as DataSourceInstanceSettings<HeadroomOptions>);
}

async function run(ds: DataSource, target: Partial<HeadroomQuery>): Promise<DataFrame> {
  const request = {
    requestId: 'Q1',
    interval: '15s',
    intervalMs: 15000,
    range: { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
    targets: [{ refId: 'A', queryType: QueryType.Containers, ...target }],
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  } as unknown as DataQueryRequest<HeadroomQuery>;
  const response = await lastValueFrom(ds.query(request) as Observable<DataQueryResponse>);
  return response.data[0] as DataFrame;
}

function column(frame: DataFrame, name: string): unknown[] {
  return frame.fields.find((f) => f.name === name)?.values ?? [];
}

function notices(frame: DataFrame): string[] {
  return (frame.meta?.notices ?? []).map((n) => `${n.severity}: ${n.text}`);
}

beforeEach(() => {
  mockApi = new FakeKubeApi();
  mockVariables = {};
});

describe('a 300-node cluster where some nodes misbehave', () => {
  const NODES = 300;
  const PODS = 5_000;
  const nodeOf = (i: number) => `worker-${i % NODES}`;
  const hanging = ['worker-0', 'worker-1', 'worker-2'];
  const forbidden = ['worker-3', 'worker-4'];
  const htmlPage = 'worker-5';
  const truncated = 'worker-6';

  function cluster(): void {
    const pods = Array.from({ length: PODS }, (_, i) =>
      v1Pod({ name: `shop-${i}`, uid: `uid-${i}`, nodeName: nodeOf(i), containers: [{ name: 'app', limit: '512Mi' }] })
    );
    mockApi.on('k8s/api/v1/namespaces/shop/pods', { body: v1PodList(...pods) });

    for (let n = 0; n < NODES; n++) {
      const node = `worker-${n}`;
      const onNode = [];
      for (let i = n; i < PODS; i += NODES) {
        onNode.push({
          name: `shop-${i}`,
          uid: `uid-${i}`,
          containers: [summaryContainer('app', { usage: 320 * MiB, workingSet: 300 * MiB })],
        });
      }
      const path = `k8s/api/v1/nodes/${node}/proxy/stats/summary`;
      if (hanging.includes(node)) {
        mockApi.on(path, 'never');
      } else if (forbidden.includes(node)) {
        mockApi.on(path, {
          status: 403,
          body: {
            kind: 'Status',
            message: `nodes "${node}" is forbidden: User "system:serviceaccount:monitoring:grafana" cannot get resource "nodes/proxy" in API group "" at the cluster scope`,
          },
        });
      } else if (node === htmlPage) {
        mockApi.on(path, { body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' });
      } else if (node === truncated) {
        mockApi.on(path, { body: JSON.stringify(summaryBody(node, onNode)).slice(0, 500) });
      } else {
        mockApi.on(path, { body: summaryBody(node, onNode) });
      }
    }
  }

  it('5,000 pods come back, with stats for every answering node and a notice naming each node that failed', async () => {
    cluster();

    const frame = await run(dataSource(), { namespace: 'shop' });

    const pods = column(frame, 'pod');
    const workingSets = column(frame, 'workingSet');
    expect(pods).toHaveLength(PODS);
    const failedNodes = new Set([...hanging, ...forbidden, htmlPage, truncated]);
    const withStats = pods.filter((_, i) => workingSets[i] === 300 * MiB).length;
    const onFailedNodes = Array.from({ length: PODS }, (_, i) => nodeOf(i)).filter((n) => failedNodes.has(n)).length;
    expect(withStats).toBe(PODS - onFailedNodes);
    expect(workingSets.filter((v) => v === 0)).toEqual([]);

    const texts = notices(frame);
    for (const node of hanging) {
      expect(texts).toContain(
        `warning: node "${node}" stats: no answer within 200 ms; its containers are shown without kubelet stats`
      );
    }
    for (const node of forbidden) {
      expect(texts).toContain(
        `warning: node "${node}" stats: permission missing (403 Forbidden): RBAC does not allow "get" on "nodes/proxy" at the cluster scope for system:serviceaccount:monitoring:grafana; its containers are shown without kubelet stats`
      );
    }
    expect(
      texts.some(
        (t) => t.includes(`node "${htmlPage}" stats answered with an HTML page`) && t.includes('502 Bad Gateway')
      )
    ).toBe(true);
    expect(
      texts.some((t) => t.startsWith(`warning: node "${truncated}" stats answered with text that is not JSON`))
    ).toBe(true);
  });
});

describe('answers that echo credentials', () => {
  it('a proxy error that quotes the Authorization header shows the failure without the token', async () => {
    mockApi.on('k8s/api/v1/namespaces/shop/pods', {
      body: v1PodList(v1Pod({ name: 'api-0', nodeName: 'worker-1', containers: [{ name: 'api', limit: '256Mi' }] })),
    });
    mockApi.on('k8s/api/v1/nodes/worker-1/proxy/stats/summary', {
      status: 502,
      body: `upstream refused request with headers {"Authorization":"Bearer ${TOKEN}"} and cookie jwt=${TOKEN}`,
    });

    const frame = await run(dataSource(), { namespace: 'shop' });

    const text = notices(frame).join('\n');
    expect(text).toContain('node "worker-1" stats: server error (HTTP 502)');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('c2lnbmF0dXJl');
  });
});

describe('template variables that are not Kubernetes names', () => {
  it('a namespace variable holding a regex is one error and no request is sent with it', async () => {
    mockVariables = { namespace: 'shop|web.*' };

    const frame = await run(dataSource(), { namespace: '$namespace' });

    expect(notices(frame)).toContain('error: "shop|web.*" is not a valid namespace name');
    expect(mockApi.paths().filter((p) => p.includes('shop|web'))).toEqual([]);
  });

  it('a node named ".." never reaches a URL path, in the containers query or the nodes query', async () => {
    mockApi.on('k8s/api/v1/nodes', { body: { items: [] } });

    const containers = await run(dataSource(), { node: '..' });
    const nodes = await run(dataSource(), { queryType: QueryType.Nodes, node: '..,worker-1' });

    expect(mockApi.paths().filter((p) => p.includes('/../') || p.includes('nodes/..'))).toEqual([]);
    expect(notices(containers)).toContain('error: ".." is not a valid node name; its stats were not asked');
    expect(notices(nodes)).toContain('error: ".." is not a valid node name; its stats were not asked');
  });

  it('a multi-value pod variable with commas lists the namespace once and keeps only the picked pods', async () => {
    mockVariables = { pod: 'api-0,api-2' };
    mockApi.on('k8s/api/v1/namespaces/shop/pods', {
      body: v1PodList(
        ...['api-0', 'api-1', 'api-2'].map((name) =>
          v1Pod({ name, nodeName: 'worker-1', containers: [{ name: 'api', limit: '256Mi' }] })
        )
      ),
    });
    mockApi.on('k8s/api/v1/nodes/worker-1/proxy/stats/summary', { body: summaryBody('worker-1', []) });

    const frame = await run(dataSource(), { namespace: 'shop', pod: '$pod' });

    expect(column(frame, 'pod')).toEqual(['api-0', 'api-2']);
    expect(mockApi.paths().filter((p) => p.includes('/pods'))).toEqual(['k8s/api/v1/namespaces/shop/pods']);
  });

  it('an empty namespace lists pods cluster-wide, not in a namespace called ""', async () => {
    mockVariables = { namespace: '' };
    mockApi.on('k8s/api/v1/pods', { body: v1PodList() });

    const frame = await run(dataSource(), { namespace: '$namespace' });

    expect(mockApi.paths()).toEqual(['k8s/api/v1/pods']);
    expect(column(frame, 'pod')).toEqual([]);
  });
});
