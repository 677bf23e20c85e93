import { readFileSync } from 'node:fs';

import { DataFrame, DataQueryRequest, DataQueryResponse, DataSourceInstanceSettings, dateTime } from '@grafana/data';
import { firstValueFrom, lastValueFrom, Observable, take, toArray } from 'rxjs';

import { FakeKubeApi } from './data/fake-kube-api';
import { ANNOTATION_REF_ID, DataSource } from './datasource';
import { sharedPath } from './test-support/shared';
import { HeadroomOptions, HeadroomQuery, QueryType } from './types';

let mockApi = new FakeKubeApi();
let mockVariables: Record<string, string> = {};

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockApi.backendSrv,
  getTemplateSrv: () => ({
    replace: (value: string) => value.replace(/\$(\w+)/g, (whole, name) => mockVariables[name] ?? whole),
  }),
}));

const MiB = 2 ** 20;
const minikube = JSON.parse(readFileSync(sharedPath('fixtures/kubelet-summary/minikube-2020.json'), 'utf8'));

// The minikube fixture was captured at 2020-04-20T22:52Z; the dashboard looks at the hour before.
const FROM = Date.parse('2020-04-20T22:00:00Z');
const TO = Date.parse('2020-04-20T23:00:00Z');

interface PodSpec {
  namespace: string;
  name: string;
  uid: string;
  node: string | null;
  containers: Array<{ name: string; limit?: string; request?: string }>;
  annotations?: Record<string, string>;
  lastTerminated?: { reason: string; exitCode: number; finishedAt: string; restartCount: number };
}

function pod(spec: PodSpec) {
  return {
    metadata: { namespace: spec.namespace, name: spec.name, uid: spec.uid, annotations: spec.annotations ?? {} },
    spec: {
      nodeName: spec.node ?? undefined,
      containers: spec.containers.map((c) => ({
        name: c.name,
        resources: {
          limits: c.limit ? { memory: c.limit } : undefined,
          requests: c.request ? { memory: c.request } : undefined,
        },
      })),
    },
    status: {
      phase: 'Running',
      qosClass: 'Burstable',
      containerStatuses: spec.containers.map((c) => ({
        name: c.name,
        restartCount: spec.lastTerminated?.restartCount ?? 0,
        state: { running: { startedAt: '2020-04-20T22:40:00Z' } },
        lastState: spec.lastTerminated
          ? {
              terminated: {
                reason: spec.lastTerminated.reason,
                exitCode: spec.lastTerminated.exitCode,
                startedAt: '2020-04-20T22:10:00Z',
                finishedAt: spec.lastTerminated.finishedAt,
              },
            }
          : {},
      })),
    },
  };
}

const coredns = pod({
  namespace: 'kube-system',
  name: 'coredns-66bff467f8-szddj',
  uid: '0adffe8e-9849-4e05-b4cd-92d2d1e1f1c3',
  node: 'minikube',
  containers: [{ name: 'coredns', limit: '170Mi', request: '70Mi' }],
});
const helloWorld = pod({
  namespace: 'default',
  name: 'go-hello-world-5456b4b8cd-99vxc',
  uid: '42ad382b-ed0b-446d-9aab-3fdce8b4f9e2',
  node: 'minikube',
  containers: [{ name: 'server', limit: '64Mi' }],
  lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2020-04-20T22:39:30Z', restartCount: 1 },
});
// A pod on a second node whose kubelet fails in the tests below.
const checkout = pod({
  namespace: 'default',
  name: 'checkout-7d9f8c6b5-x2x4k',
  uid: '9b0c1f52-3c55-4f0e-8c89-1e4f8b5b7a10',
  node: 'worker-2',
  containers: [{ name: 'checkout', limit: '512Mi' }],
});

function podList(...items: unknown[]) {
  return { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '4711' }, items };
}

function dataSource(options: HeadroomOptions = {}): DataSource {
  const settings = {
    id: 1,
    uid: 'headroom',
    type: 'headroom-memory-datasource',
    name: 'Headroom',
    url: mockApi.baseUrl,
    jsonData: { nodeTimeoutMs: 2000, ...options },
    meta: {},
    readOnly: false,
    access: 'proxy',
  } as unknown as DataSourceInstanceSettings<HeadroomOptions>;
  return new DataSource(settings);
}

function request(...targets: Array<Partial<HeadroomQuery>>): DataQueryRequest<HeadroomQuery> {
  return {
    requestId: 'Q1',
    interval: '15s',
    intervalMs: 15000,
    range: { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), queryType: QueryType.Containers, ...t })),
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  } as DataQueryRequest<HeadroomQuery>;
}

async function run(ds: DataSource, ...targets: Array<Partial<HeadroomQuery>>): Promise<DataQueryResponse> {
  return lastValueFrom(ds.query(request(...targets)) as Observable<DataQueryResponse>);
}

function column(frame: DataFrame, name: string): unknown[] {
  const field = frame.fields.find((f) => f.name === name);
  if (!field) {
    throw new Error(`frame has no field ${name}: ${frame.fields.map((f) => f.name).join(', ')}`);
  }
  return field.values;
}

function row(frame: DataFrame, container: string): Record<string, unknown> {
  const index = column(frame, 'container').indexOf(container);
  if (index < 0) {
    throw new Error(`no row for container ${container}`);
  }
  return Object.fromEntries(frame.fields.map((f) => [f.name, f.values[index]]));
}

function noticeTexts(frame: DataFrame): string[] {
  return (frame.meta?.notices ?? []).map((n) => `${n.severity}: ${n.text}`);
}

beforeEach(() => {
  mockApi = new FakeKubeApi();
  mockVariables = {};
});

describe('containers query', () => {
  it('joins the pod spec with the kubelet summary: coredns has a 170 MiB limit and 6250496 bytes of working set', async () => {
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(coredns) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });

    const response = await run(dataSource(), { namespace: 'kube-system' });

    const frame = response.data[0] as DataFrame;
    expect(frame.refId).toBe('A');
    expect(column(frame, 'container')).toEqual(['coredns']);
    const coreDns = row(frame, 'coredns');
    expect(coreDns.limit).toBe(170 * MiB);
    expect(coreDns.request).toBe(70 * MiB);
    expect(coreDns.workingSet).toBe(6250496);
    expect(coreDns.headroom).toBe(170 * MiB - 6250496);
    expect(frame.fields.find((f) => f.name === 'limit')?.config.unit).toBe('bytes');
  });

  it('an OOMKilled last termination stands out: the table colours it red', async () => {
    mockApi.on('k8s/api/v1/namespaces/default/pods', { body: podList(helloWorld) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });

    const response = await run(dataSource({ sidecarDiscovery: 'none' }), { namespace: 'default' });

    const frame = response.data[0] as DataFrame;
    const reason = frame.fields.find((f) => f.name === 'lastTerminationReason')!;
    expect(reason.values).toEqual(['OOMKilled']);
    expect(reason.config.mappings).toEqual([{ type: 'value', options: { OOMKilled: { color: 'red', index: 0 } } }]);
    expect(reason.config.custom).toEqual({ cellOptions: { type: 'color-text' } });
  });

  it('asks the pod list first, then only the node running the selected pods', async () => {
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(coredns) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });

    await run(dataSource({ sidecarDiscovery: 'none' }), {
      namespace: 'kube-system',
      labelSelector: 'k8s-app=kube-dns',
    });

    expect(mockApi.paths()).toEqual([
      'k8s/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns',
      'k8s/api/v1/nodes/minikube/proxy/stats/summary',
    ]);
  });

  it('replaces template variables in the namespace before asking', async () => {
    mockVariables = { namespace: 'kube-system' };
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(coredns) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });

    const response = await run(dataSource(), { namespace: '$namespace' });

    expect(column(response.data[0], 'pod')).toEqual(['coredns-66bff467f8-szddj']);
  });

  it('a node answering with an HTML 502 page gives a partial answer with a notice naming that node', async () => {
    mockApi.on('k8s/api/v1/pods', { body: podList(coredns, checkout) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });
    mockApi.on('k8s/api/v1/nodes/worker-2/proxy/stats/summary', {
      status: 502,
      body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
    });

    const response = await run(dataSource({ sidecarDiscovery: 'none' }), {});

    const frame = response.data[0];
    expect(response.errors).toBeUndefined();
    expect(row(frame, 'coredns').workingSet).toBe(6250496);
    expect(row(frame, 'checkout').limit).toBe(512 * MiB);
    expect(row(frame, 'checkout').workingSet).toBeNull();
    expect(noticeTexts(frame)).toContain(
      'warning: node "worker-2" stats answered with an HTML page (HTTP 502), titled "502 Bad Gateway"; a proxy or load balancer in front of it may be failing; its containers are shown without kubelet stats'
    );
  });

  it('a node that never answers times out after the configured per-node timeout; the other node is kept', async () => {
    mockApi.on('k8s/api/v1/pods', { body: podList(coredns, checkout) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });
    mockApi.on('k8s/api/v1/nodes/worker-2/proxy/stats/summary', 'never');

    const response = await run(dataSource({ nodeTimeoutMs: 40, sidecarDiscovery: 'none' }), {});

    const frame = response.data[0];
    expect(row(frame, 'coredns').limit).toBe(170 * MiB);
    expect(noticeTexts(frame).filter((t) => t.includes('worker-2'))).toHaveLength(1);
    expect(noticeTexts(frame).find((t) => t.includes('worker-2'))).toMatch(
      /^warning: node "worker-2" stats: no answer within 40 ms; its containers are shown without kubelet stats$/
    );
  });

  it('a 403 on the node proxy names the missing RBAC verb and resource', async () => {
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(coredns) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', {
      status: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message:
          'nodes "minikube" is forbidden: User "system:serviceaccount:monitoring:grafana" cannot get resource "nodes/proxy" in API group "" at the cluster scope',
        reason: 'Forbidden',
        details: { name: 'minikube', kind: 'nodes' },
        code: 403,
      },
    });

    const response = await run(dataSource({ sidecarDiscovery: 'none' }), { namespace: 'kube-system' });

    const frame = response.data[0];
    expect(row(frame, 'coredns').limit).toBe(170 * MiB);
    expect(noticeTexts(frame)).toContain(
      'warning: node "minikube" stats: permission missing (403 Forbidden): RBAC does not allow "get" on "nodes/proxy" at the cluster scope for system:serviceaccount:monitoring:grafana; its containers are shown without kubelet stats'
    );
  });

  it('an expired token on the pod list is an error notice and no node is asked', async () => {
    mockApi.on('k8s/api/v1/pods', { status: 401, body: { kind: 'Status', message: 'Unauthorized', code: 401 } });

    const response = await run(dataSource(), {});

    expect(noticeTexts(response.data[0])).toContain(
      'error: the pod list: the API server rejected the token (401 Unauthorized); the service account token in the data source settings is missing, invalid or expired'
    );
    expect(mockApi.paths()).toEqual(['k8s/api/v1/pods']);
  });

  it('reads the peak sidecar of an annotated pod through the API server pod proxy', async () => {
    const annotated = pod({
      namespace: 'kube-system',
      name: 'coredns-66bff467f8-szddj',
      uid: '0adffe8e-9849-4e05-b4cd-92d2d1e1f1c3',
      node: 'minikube',
      containers: [{ name: 'coredns', limit: '170Mi' }],
      annotations: { 'headroom.dev/port': '9180' },
    });
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(annotated) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods/coredns-66bff467f8-szddj:9180/proxy/v1/containers', {
      body: sidecarAnswer(),
    });

    const response = await run(dataSource({ sidecarDiscovery: 'annotation' }), { namespace: 'kube-system' });

    expect(mockApi.paths()).toContain(
      `k8s/api/v1/namespaces/kube-system/pods/coredns-66bff467f8-szddj:9180/proxy/v1/containers?from=${FROM}&to=${TO}`
    );
    const coreDns = row(response.data[0], 'coredns');
    expect(coreDns.peak).toBe(160 * MiB);
    expect(coreDns.peakToLimit).toBeCloseTo(160 / 170, 10);
  });

  it('a sidecar that fails leaves the kubelet figures intact and says the peaks are unknown', async () => {
    const annotated = pod({
      namespace: 'kube-system',
      name: 'coredns-66bff467f8-szddj',
      uid: '0adffe8e-9849-4e05-b4cd-92d2d1e1f1c3',
      node: 'minikube',
      containers: [{ name: 'coredns', limit: '170Mi' }],
      annotations: { 'headroom.dev/port': '9180' },
    });
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(annotated) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });
    mockApi.on(/proxy\/v1\/containers/, {
      status: 503,
      body: { kind: 'Status', message: 'no endpoints available for service', code: 503 },
    });

    const response = await run(dataSource(), { namespace: 'kube-system' });

    const frame = response.data[0];
    expect(row(frame, 'coredns').workingSet).toBe(6250496);
    expect(row(frame, 'coredns').peak).toBeNull();
    expect(noticeTexts(frame)).toContain(
      'warning: sidecar kube-system/coredns-66bff467f8-szddj:9180: server error (HTTP 503): no endpoints available for service on node "minikube"; peaks there are unknown'
    );
  });

  it('node-scope discovery asks the DaemonSet pod on each node that runs a selected pod', async () => {
    const daemon = pod({
      namespace: 'headroom',
      name: 'headroom-peaks-7xk2p',
      uid: 'a1',
      node: 'minikube',
      containers: [{ name: 'peaks' }],
    });
    const elsewhere = pod({
      namespace: 'headroom',
      name: 'headroom-peaks-q9z8w',
      uid: 'a2',
      node: 'worker-9',
      containers: [{ name: 'peaks' }],
    });
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(coredns) });
    mockApi.on('k8s/api/v1/namespaces/headroom/pods', { body: podList(daemon, elsewhere) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });
    mockApi.on(/proxy\/v1\/containers/, { body: sidecarAnswer() });

    await run(
      dataSource({
        sidecarDiscovery: 'daemonset',
        sidecarNamespace: 'headroom',
        sidecarLabelSelector: 'app=headroom-peaks',
      }),
      { namespace: 'kube-system' }
    );

    expect(mockApi.paths()).toEqual([
      'k8s/api/v1/namespaces/kube-system/pods',
      'k8s/api/v1/nodes/minikube/proxy/stats/summary',
      'k8s/api/v1/namespaces/headroom/pods?labelSelector=app%3Dheadroom-peaks',
      `k8s/api/v1/namespaces/headroom/pods/headroom-peaks-7xk2p:9180/proxy/v1/containers?from=${FROM}&to=${TO}`,
    ]);
  });

  it('several namespaces from a multi-value variable are listed one by one', async () => {
    mockVariables = { namespace: 'default,kube-system' };
    mockApi.on('k8s/api/v1/namespaces/default/pods', { body: podList(helloWorld) });
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(coredns) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });

    const response = await run(dataSource({ sidecarDiscovery: 'none' }), { namespace: '$namespace' });

    expect([...column(response.data[0], 'container')].sort()).toEqual(['coredns', 'server']);
  });
});

describe('other query types', () => {
  it('container memory returns one time series per container with the kubelet sample, time field first', async () => {
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(coredns) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });

    const response = await run(dataSource({ sidecarDiscovery: 'none' }), {
      queryType: QueryType.ContainerMemory,
      namespace: 'kube-system',
    });

    const frames = response.data as DataFrame[];
    for (const frame of frames) {
      expect(frame.meta?.type).toBe('timeseries-multi');
      expect(frame.fields.map((f) => f.type)).toEqual(['time', 'number']);
      expect(frame.fields[0].values).toEqual([Date.parse('2020-04-20T22:52:18Z')]);
    }
    const workingSet = frames.map((f) => f.fields[1]).find((f) => f.name === 'working set');
    expect(workingSet?.values).toEqual([6250496]);
    expect(workingSet?.labels).toEqual({
      namespace: 'kube-system',
      pod: 'coredns-66bff467f8-szddj',
      container: 'coredns',
      node: 'minikube',
    });
  });

  it('nodes lists every node with its summary', async () => {
    mockApi.on('k8s/api/v1/nodes', {
      body: {
        kind: 'NodeList',
        items: [
          {
            metadata: { name: 'minikube' },
            status: { allocatable: { memory: '2455492Ki' }, capacity: { memory: '2557892Ki' } },
          },
        ],
      },
    });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });

    const response = await run(dataSource(), { queryType: QueryType.Nodes });

    const frame = response.data[0];
    expect(column(frame, 'node')).toEqual(['minikube']);
    expect(column(frame, 'allocatable')).toEqual([2455492 * 1024]);
    expect(column(frame, 'workingSet')).toEqual([1234567890]);
  });

  it('Diagnosis gives each container a verdict, its evidence and the checklist, with heap settings from annotations', async () => {
    const jvm = pod({
      namespace: 'kube-system',
      name: 'coredns-66bff467f8-szddj',
      uid: '0adffe8e-9849-4e05-b4cd-92d2d1e1f1c3',
      node: 'minikube',
      containers: [{ name: 'coredns', limit: '170Mi', request: '70Mi' }],
      annotations: { 'headroom.dev/heap-max': '160Mi', 'headroom.dev/non-heap': '40Mi' },
    });
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(jvm) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });

    const response = await run(dataSource({ sidecarDiscovery: 'none' }), {
      queryType: QueryType.Diagnosis,
      namespace: 'kube-system',
    });

    const frame = response.data[0];
    expect(column(frame, 'container')).toEqual(['coredns']);
    expect(column(frame, 'verdict')).toEqual(['heap-sized-to-limit']);
    expect(column(frame, 'severity')).toEqual(['warning']);
    expect(String(column(frame, 'summary')[0])).toContain('118 % of the limit');
    expect(column(frame, 'spikedBriefly')).toEqual(['unknown']);
    expect(noticeTexts(frame)).toContain(
      'info: no peak sidecar answered for these containers: verdicts rest on sampled values only'
    );
  });

  it('Recommendations show ours beside the VPA-style and KRR-style ones for each container', async () => {
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(coredns) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });

    const response = await run(dataSource({ sidecarDiscovery: 'none' }), {
      queryType: QueryType.Recommendations,
      namespace: 'kube-system',
    });

    const frame = response.data[0];
    expect(column(frame, 'recommender')).toEqual(['headroom', 'vpa-style', 'krr-style']);
    expect(column(frame, 'currentLimit')).toEqual([170 * MiB, 170 * MiB, 170 * MiB]);
    // coredns' working set in the fixture is 6250496 bytes (5.96 MiB): 15 % over it rounds up to 7 MiB. The VPA-style
    // limit keeps the spec's limit/request ratio, 170/70, so 7 MiB × 2.43 rounds up to 17 MiB.
    expect(column(frame, 'request')).toEqual([6 * MiB, 7 * MiB, 7 * MiB]);
    expect(column(frame, 'limit')).toEqual([7 * MiB, 17 * MiB, 7 * MiB]);
  });
});

describe('live mode', () => {
  beforeEach(() => jest.useFakeTimers({ now: TO }));
  afterEach(() => jest.useRealTimers());

  it('re-queries every interval, builds up the line with the newest points, and stops when the panel unsubscribes', async () => {
    let tick = 0;
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(coredns) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', () => {
      tick++;
      const summary = structuredCloneJson(minikube);
      const memory = summary.pods.find(
        (p: { podRef: { name: string } }) => p.podRef.name === 'coredns-66bff467f8-szddj'
      ).containers[0].memory;
      memory.time = new Date(TO - 10_000 + tick * 2000).toISOString();
      memory.workingSetBytes = 6250496 + tick * MiB;
      return { body: summary };
    });

    const responses: DataQueryResponse[] = [];
    const subscription = dataSource({ sidecarDiscovery: 'none' })
      .query(
        request({ queryType: QueryType.ContainerMemory, namespace: 'kube-system', live: true, liveIntervalMs: 2000 })
      )
      .subscribe((r) => responses.push(r));

    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(2000);
    await jest.advanceTimersByTimeAsync(2000);
    subscription.unsubscribe();
    const asked = mockApi.requests.length;
    await jest.advanceTimersByTimeAsync(10_000);

    expect(responses).toHaveLength(3);
    const last = (responses[2].data as DataFrame[]).find((f) => f.fields[1]?.name === 'working set')!;
    expect(responses[2].state).toBe('Streaming');
    expect(last.fields[0].values).toEqual([TO - 8000, TO - 6000, TO - 4000]);
    expect(last.fields[1].values).toEqual([
      6250496 + MiB,
      6250496 + 2 * MiB,
      6250496 + 3 * MiB,
    ]);
    expect(mockApi.requests.length).toBe(asked);
  });

  it('never refreshes faster than once a second', async () => {
    mockApi.on('k8s/api/v1/namespaces/kube-system/pods', { body: podList(coredns) });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });

    const stream = dataSource({ sidecarDiscovery: 'none' }).query(
      request({ namespace: 'kube-system', live: true, liveIntervalMs: 10 })
    ) as Observable<DataQueryResponse>;
    const two = firstValueFrom(stream.pipe(take(2), toArray()));
    await jest.advanceTimersByTimeAsync(999);
    const podListsAfter999ms = mockApi.paths().filter((p) => p.endsWith('/pods')).length;
    await jest.advanceTimersByTimeAsync(1);

    expect(podListsAfter999ms).toBe(1);
    expect(await two).toHaveLength(2);
  });
});

describe('template variables', () => {
  it('lists the namespaces that have pods', async () => {
    mockApi.on('k8s/api/v1/pods', { body: podList(coredns, helloWorld, checkout) });

    const values = await dataSource().metricFindQuery({ kind: 'namespace' });

    expect(values.map((v) => v.text)).toEqual(['default', 'kube-system']);
  });

  it('lists the containers of one namespace, the namespace itself a variable', async () => {
    mockVariables = { namespace: 'default' };
    mockApi.on('k8s/api/v1/namespaces/default/pods', { body: podList(helloWorld, checkout) });

    const values = await dataSource().metricFindQuery({ kind: 'container', namespace: '$namespace' });

    expect(values.map((v) => v.text)).toEqual(['checkout', 'server']);
  });

  it('a pod list that cannot be read is an error that says why', async () => {
    mockApi.on('k8s/api/v1/pods', {
      status: 500,
      body: { kind: 'Status', message: 'etcdserver: leader changed', code: 500 },
    });

    await expect(dataSource().metricFindQuery({ kind: 'pod' })).rejects.toThrow(
      'the pod list: server error (HTTP 500): etcdserver: leader changed'
    );
  });
});

describe('annotations', () => {
  it('an OOM kill in the time range becomes an annotation at the time the container ended', async () => {
    mockApi.on('k8s/api/v1/namespaces/default/pods', { body: podList(helloWorld) });
    const ds = dataSource();
    const target = ds.annotations.prepareQuery!({
      name: 'OOM kills',
      enable: true,
      iconColor: 'red',
      target: { namespace: 'default' },
    } as never);

    const response = await run(ds, target!);

    const frame = response.data[0];
    expect(frame.refId).toBe(ANNOTATION_REF_ID);
    expect(column(frame, 'time')).toEqual([Date.parse('2020-04-20T22:39:30Z')]);
    expect(column(frame, 'title')).toEqual(['OOMKilled: default/go-hello-world-5456b4b8cd-99vxc/server']);
    expect(mockApi.paths()).toEqual(['k8s/api/v1/namespaces/default/pods']);
  });
});

describe('testDatasource', () => {
  function healthyCluster(allowed: { proxy: boolean; stats: boolean }) {
    mockApi.on('k8s/version', { body: { major: '1', minor: '29', gitVersion: 'v1.29.4' } });
    mockApi.on('k8s/api/v1/nodes', { body: { kind: 'NodeList', items: [{ metadata: { name: 'minikube' } }] } });
    mockApi.on('k8s/api/v1/pods', { body: podList(coredns) });
    mockApi.on('k8s/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', (req) => {
      const subresource = (req.data as { spec: { resourceAttributes: { subresource: 'proxy' | 'stats' } } }).spec
        .resourceAttributes.subresource;
      return { status: 201, body: { kind: 'SelfSubjectAccessReview', status: { allowed: allowed[subresource] } } };
    });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', { body: minikube });
  }

  it('succeeds when every check passes, and says which path reads node stats', async () => {
    healthyCluster({ proxy: true, stats: true });

    const result = await dataSource().testDatasource();

    expect(result.status).toBe('success');
    expect(result.details?.message).toBe(
      'Connected to Kubernetes v1.29.4; node stats via API server node proxy (nodes/proxy) work'
    );
    expect(result.details?.verboseMessage?.split('\n')).toEqual([
      'ok: API server reachable — Kubernetes v1.29.4',
      'ok: Token accepted — the API server authenticated the request',
      'ok: May list nodes — first node "minikube"',
      'ok: May list pods — in all namespaces',
      'ok: May get nodes/proxy — RBAC allows "get" on "nodes/proxy"',
      'ok: May get nodes/stats (not needed for the configured path) — RBAC allows "get" on "nodes/stats"',
      'ok: Node stats through the API server — summary of node "minikube" read (9 pods)',
    ]);
  });

  it('warns and names the missing permission when nodes/proxy is not granted', async () => {
    healthyCluster({ proxy: false, stats: true });
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', {
      status: 403,
      body: {
        kind: 'Status',
        message:
          'nodes "minikube" is forbidden: User "system:serviceaccount:monitoring:grafana" cannot get resource "nodes/proxy" in API group "" at the cluster scope',
        code: 403,
      },
    });

    const result = await dataSource().testDatasource();

    expect(result.status).toBe('warning');
    expect(result.details?.message).toBe(
      'Partly working: missing May get nodes/proxy, Node stats through the API server'
    );
    expect(result.message).toContain('missing: May get nodes/proxy — RBAC does not allow "get" on "nodes/proxy"');
  });

  it('an expired token is an error that says the API server answered but refused the token', async () => {
    mockApi.on('k8s/version', { status: 401, body: { kind: 'Status', message: 'Unauthorized', code: 401 } });

    const result = await dataSource().testDatasource();

    expect(result.status).toBe('error');
    expect(result.details?.verboseMessage?.split('\n')).toEqual([
      'ok: API server reachable — it answered (401)',
      'missing: Token accepted — the API server version: the API server rejected the token (401 Unauthorized); the service account token in the data source settings is missing, invalid or expired',
    ]);
  });

  it('an API server that cannot be reached is an error', async () => {
    mockApi.on('k8s/version', {
      status: 502,
      body: '<html><head><title>502 Bad Gateway</title></head></html>',
    });

    const result = await dataSource().testDatasource();

    expect(result.status).toBe('error');
    expect(result.details?.message).toBe('Not working: missing API server reachable');
  });

  it('with the direct kubelet path, checks nodes/stats and reads the summary from the kubelet URL', async () => {
    healthyCluster({ proxy: false, stats: true });
    mockApi.on('kubelet/stats/summary', { body: minikube });

    const result = await dataSource({ nodeStatsPath: 'kubelet' }).testDatasource();

    expect(result.status).toBe('success');
    expect(result.details?.verboseMessage).toContain('info: May get nodes/proxy (not needed for the configured path)');
    expect(result.details?.verboseMessage).toContain(
      'ok: Node stats from the kubelet URL — summary of node "minikube" read (9 pods)'
    );
  });
});

function sidecarAnswer() {
  const windowStart = Date.parse('2020-04-20T22:50:00Z');
  return {
    apiVersion: 'v1',
    scope: 'pod',
    node: 'minikube',
    timeMs: windowStart + 120_000,
    fromMs: FROM,
    toMs: TO,
    notices: [],
    containers: [
      {
        id: 'cri-containerd-4f1e',
        identity: {
          namespace: 'kube-system',
          pod: 'coredns-66bff467f8-szddj',
          container: 'coredns',
          podUid: '0adffe8e-9849-4e05-b4cd-92d2d1e1f1c3',
          containerId: '4f1e',
          cgroupPath: 'kubepods.slice/kubepods-burstable.slice/cri-containerd-4f1e.scope',
        },
        cgroupVersion: 2,
        method: 'v2-peak-reset',
        windowMs: 60_000,
        sampleIntervalMs: 1000,
        firstSeenMs: windowStart,
        timeMs: windowStart + 120_000,
        limitBytes: 170 * MiB,
        highBytes: null,
        usageBytes: 7942144,
        workingSetBytes: 6250496,
        unreclaimableBytes: 6000000,
        breakdown: {
          anonBytes: 5 * MiB,
          fileBytes: MiB,
          activeFileBytes: null,
          inactiveFileBytes: null,
          shmemBytes: null,
          kernelBytes: null,
          kernelStackBytes: null,
          pageTablesBytes: null,
          sockBytes: null,
          slabReclaimableBytes: null,
          slabUnreclaimableBytes: null,
        },
        lifetimePeakBytes: 160 * MiB,
        events: { max: 0, high: 0, oom: 0, oom_kill: 0 },
        recentEvents: [],
        pressure: null,
        threads: 12,
        allocator: null,
        windows: [
          {
            startMs: windowStart,
            endMs: windowStart + 60_000,
            peakBytes: 160 * MiB,
            peakExact: true,
            lastBytes: 8 * MiB,
            workingSetBytes: 6 * MiB,
            limitHit: false,
            samples: 60,
          },
        ],
        notices: [],
      },
    ],
  };
}

function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}
