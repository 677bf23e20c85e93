import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sharedPath } from '../../src/test-support/shared';
import { memoryLog } from './replay-log';
import { ReplayServer, ReplayServerOptions, startReplayServer } from './replay-server';
import { LivePod } from './live-pod';
import { SummaryMemory } from './summary-document';
import { loadSummaryDirectory } from './summary-files';

const FIXTURES = sharedPath('fixtures', 'kubelet-summary');
const TOKEN = 'replay-test-token';

let server: ReplayServer;

async function start(options: Partial<ReplayServerOptions> = {}) {
  server = await startReplayServer({
    nodes: loadSummaryDirectory(FIXTURES).nodes,
    token: TOKEN,
    log: memoryLog(),
    ...options,
  });
  return server;
}

async function get(path: string, token: string | null = TOKEN) {
  const response = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

async function podNames(query: string): Promise<string[]> {
  const answer = await get(`/api/v1/pods?${query}`);
  expect(answer.status).toBe(200);
  return answer
    .json()
    .items.map((pod: { metadata: { name: string } }) => pod.metadata.name)
    .sort();
}

afterEach(async () => {
  await server?.close();
});

describe('replay server on the real kubelet summaries', () => {
  it('lists one node per summary file with capacity from node memory and a 127.0.0.x address', async () => {
    await start();
    const nodes = (await get('/api/v1/nodes')).json().items;

    expect(nodes.map((node: { metadata: { name: string } }) => node.metadata.name)).toEqual([
      'gke-team-pool-1-1c8b424c-wnkn',
      'minikube',
    ]);
    // gke: availableBytes 2429980672 + workingSetBytes 1447833600 = 3877814272 bytes = 3786928Ki.
    expect(nodes[0].status.capacity.memory).toBe('3786928Ki');
    // The pods cgroup: 2406899712 + 464281600 = 2871181312 bytes = 2803888Ki.
    expect(nodes[0].status.allocatable.memory).toBe('2803888Ki');
    expect(nodes[1].status.addresses[0]).toEqual({ type: 'InternalIP', address: '127.0.0.2' });
    expect(nodes[1].status.conditions.find((c: { type: string }) => c.type === 'MemoryPressure').status).toBe('False');
  });

  it('derives a pod from each podRef: coredns has a 170Mi limit, no request, 0 restarts, app label without hash', async () => {
    await start();
    const pods = (await get('/api/v1/namespaces/kube-system/pods?labelSelector=app%3Dcoredns')).json().items;

    expect(pods).toHaveLength(2);
    const pod = pods.find((p: { metadata: { name: string } }) => p.metadata.name === 'coredns-66bff467f8-szddj');
    expect(pod.metadata.uid).toBe('0adffe8e-9849-4e05-b4cd-92d2d1e1f1c3');
    expect(pod.metadata.labels).toEqual({ app: 'coredns' });
    expect(pod.spec.nodeName).toBe('minikube');
    expect(pod.spec.containers).toEqual([
      { name: 'coredns', image: 'replay.local/coredns:summary', resources: { limits: { memory: '170Mi' } } },
    ]);
    expect(pod.status.startTime).toBe('2020-04-20T22:39:52Z');
    expect(pod.status.containerStatuses[0].restartCount).toBe(0);
  });

  it('a container whose summary has no availableBytes has no limit in its spec', async () => {
    await start();
    const pods = (await get('/api/v1/namespaces/default/pods')).json().items;

    expect(pods.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'go-hello-world-5456b4b8cd-99vxc',
    ]);
    expect(pods[0].spec.containers[0].resources).toEqual({});
  });

  it('filters pods by label selector: equality, inequality, set membership and existence', async () => {
    await start();

    expect(await podNames('labelSelector=app%3Dkube-proxy')).toEqual([
      'kube-proxy-gke-team-pool-1-1c8b424c-wnkn',
      'kube-proxy-v48tf',
    ]);
    expect(await podNames('labelSelector=' + encodeURIComponent('app in (tiller-deploy, kube-dns)'))).toEqual([
      'kube-dns-5877696fb4-m6cvp',
      'tiller-deploy-5f475d4d45-qsct6',
    ]);
    expect(await podNames('labelSelector=app')).toHaveLength(19);
    expect(await podNames('labelSelector=!app')).toEqual([]);
    expect(
      await podNames(`labelSelector=${encodeURIComponent('app!=coredns')}&fieldSelector=spec.nodeName%3Dminikube`)
    ).toEqual([
      'etcd-minikube',
      'go-hello-world-5456b4b8cd-99vxc',
      'kube-apiserver-minikube',
      'kube-controller-manager-minikube',
      'kube-proxy-v48tf',
      'kube-scheduler-minikube',
      'storage-provisioner',
    ]);
  });

  it('filters pods by node and by name with a field selector', async () => {
    await start();

    expect(await podNames('fieldSelector=spec.nodeName%3Dgke-team-pool-1-1c8b424c-wnkn')).toHaveLength(10);
    expect(await podNames('fieldSelector=spec.nodeName%3Dminikube,metadata.name%3Detcd-minikube')).toEqual([
      'etcd-minikube',
    ]);
  });

  it('refuses a malformed selector with a 400 Status, like the API server', async () => {
    await start();
    const answer = await get('/api/v1/pods?fieldSelector=spec.hostname%3Dx');

    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'field label not supported: spec.hostname',
    });
  });

  it('serves the summary file byte for byte through the node proxy, CRLF line endings included', async () => {
    await start();
    const answer = await get('/api/v1/nodes/gke-team-pool-1-1c8b424c-wnkn/proxy/stats/summary');

    expect(answer.status).toBe(200);
    expect(answer.text).toBe(readFileSync(join(FIXTURES, 'gke-2019.json'), 'utf8'));
    expect(answer.text).toContain('\r\n');
    expect(server.summaryRequests).toEqual(['gke-team-pool-1-1c8b424c-wnkn']);
  });

  it('answers 401 Unauthorized without the bearer token', async () => {
    await start();
    const answer = await get('/api/v1/nodes', null);

    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('answers access reviews: allowed, except what the configuration denies', async () => {
    await start({ deniedAccess: ['get nodes/proxy'] });
    const review = async (verb: string, resource: string, subresource?: string) => {
      const response = await fetch(`${server.url}/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { verb, resource, subresource } },
        }),
      });
      return (await response.json()).status.allowed;
    };

    expect(await review('list', 'pods')).toBe(true);
    expect(await review('get', 'nodes', 'proxy')).toBe(false);
    expect((await get('/api/v1/nodes/minikube/proxy/stats/summary')).json().message).toBe(
      'nodes "minikube" is forbidden: User "system:serviceaccount:monitoring:headroom" cannot get resource "nodes/proxy" in API group "" at the cluster scope'
    );
  });

  it('injects per-node faults: an HTML 502 page, a 500 Status, a cut-off body', async () => {
    await start({ faults: { minikube: 'html502', 'gke-team-pool-1-1c8b424c-wnkn': 'garbage' } });

    const html = await get('/api/v1/nodes/minikube/proxy/stats/summary');
    expect(html.status).toBe(502);
    expect(html.text).toContain('<title>502 Bad Gateway</title>');

    const garbage = await get('/api/v1/nodes/gke-team-pool-1-1c8b424c-wnkn/proxy/stats/summary');
    expect(garbage.status).toBe(200);
    expect(() => JSON.parse(garbage.text)).toThrow();

    server.setFault('minikube', 'status500');
    const status = await get('/api/v1/nodes/minikube/proxy/stats/summary');
    expect(status.status).toBe(500);
    expect(status.json().reason).toBe('InternalError');
  });

  it('a slow node does not answer before the caller gives up', async () => {
    await start({ faults: { minikube: 'slow' } });
    const outcome = await fetch(`${server.url}/api/v1/nodes/minikube/proxy/stats/summary`, {
      headers: { authorization: `Bearer ${TOKEN}` },
      signal: AbortSignal.timeout(300),
    }).then(
      () => 'answered',
      (error: Error) => error.name
    );

    expect(outcome).toBe('TimeoutError');
  });

  it('forwards the pod proxy path and query to the configured sidecar', async () => {
    let seen = '';
    const sidecar: Server = createServer((req, res) => {
      seen = req.url ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"apiVersion":"v1"}');
    });
    await new Promise<void>((resolve) => sidecar.listen(0, '127.0.0.1', resolve));
    try {
      await start({ sidecarUrl: `http://127.0.0.1:${(sidecar.address() as AddressInfo).port}` });
      const answer = await get(
        '/api/v1/namespaces/kube-system/pods/etcd-minikube:9180/proxy/v1/containers?from=1&to=2'
      );

      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ apiVersion: 'v1' });
      expect(seen).toBe('/v1/containers?from=1&to=2');
    } finally {
      sidecar.close();
    }
  });
});

describe('a live pod beside the replayed ones', () => {
  const MiB = 1024 * 1024;
  let sidecar: Server | null = null;

  afterEach(() => {
    sidecar?.close();
    sidecar = null;
  });

  /** A live pod on minikube with a 64 MiB limit whose working set the test sets; its sidecar answers with its path. */
  async function startWithLivePod(memory: () => SummaryMemory | null): Promise<LivePod> {
    sidecar = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'v1', path: req.url }));
    });
    await new Promise<void>((resolve) => sidecar!.listen(0, '127.0.0.1', resolve));
    const port = (sidecar.address() as AddressInfo).port;
    const live: LivePod = {
      namespace: 'headroom-demo',
      name: 'spiky-app',
      uid: '5b0a8c7e-3f1d-4c2a-9e6b-7d8f0a1b2c3d',
      container: 'app',
      node: 'minikube',
      limitBytes: 64 * MiB,
      startTimeMs: Date.parse('2024-05-01T10:00:00Z'),
      annotations: { 'headroom.dev/port': String(port) },
      sidecarPort: port,
      sidecarUrl: `http://127.0.0.1:${port}`,
      memory,
    };
    await start({ livePods: [live] });
    return live;
  }

  it('lists the pod on its node with the 64Mi limit in the spec and the sidecar port annotation', async () => {
    const live = await startWithLivePod(() => null);
    const pods = (await get('/api/v1/namespaces/headroom-demo/pods')).json().items;

    expect(pods).toHaveLength(1);
    expect(pods[0].metadata.annotations).toEqual({ 'headroom.dev/port': String(live.sidecarPort) });
    expect(pods[0].spec).toEqual({
      nodeName: 'minikube',
      containers: [{ name: 'app', image: 'replay.local/app:live', resources: { limits: { memory: '64Mi' } } }],
    });
    expect(pods[0].status.hostIP).toBe('127.0.0.2');
    // The 9 pods of the minikube summary and the live pod.
    expect((await get('/api/v1/pods?fieldSelector=spec.nodeName%3Dminikube')).json().items).toHaveLength(10);
  });

  it("adds the pod's entry to its node's summary, read from the container when the summary is asked for", async () => {
    let workingSet = 26 * MiB;
    await startWithLivePod(() => ({
      usageBytes: workingSet,
      workingSetBytes: workingSet,
      rssBytes: workingSet - MiB,
      availableBytes: 64 * MiB - workingSet,
    }));
    const livePod = async () =>
      (await get('/api/v1/nodes/minikube/proxy/stats/summary'))
        .json()
        .pods.find((pod: { podRef: { name: string } }) => pod.podRef.name === 'spiky-app');

    const first = await livePod();
    workingSet = 30 * MiB;
    const second = await livePod();

    expect(first.podRef).toEqual({
      name: 'spiky-app',
      namespace: 'headroom-demo',
      uid: '5b0a8c7e-3f1d-4c2a-9e6b-7d8f0a1b2c3d',
    });
    expect(first.containers[0].memory).toMatchObject({ workingSetBytes: 26 * MiB, availableBytes: 38 * MiB });
    expect(second.containers[0].memory).toMatchObject({ workingSetBytes: 30 * MiB, availableBytes: 34 * MiB });
    const gke = (await get('/api/v1/nodes/gke-team-pool-1-1c8b424c-wnkn/proxy/stats/summary')).json();
    expect(gke.pods.map((pod: { podRef: { name: string } }) => pod.podRef.name)).not.toContain('spiky-app');
  });

  it('a container whose cgroup cannot be read has no memory block, rather than zeros', async () => {
    await startWithLivePod(() => null);
    const summary = (await get('/api/v1/nodes/minikube/proxy/stats/summary')).json();
    const pod = summary.pods.find((p: { podRef: { name: string } }) => p.podRef.name === 'spiky-app');

    expect(pod.containers).toEqual([{ name: 'app', startTime: '2024-05-01T10:00:00.000Z' }]);
  });

  it('the pod proxy reaches its sidecar on the annotated port and is refused on any other', async () => {
    const live = await startWithLivePod(() => null);
    const base = '/api/v1/namespaces/headroom-demo/pods/spiky-app';

    const answer = await get(`${base}:${live.sidecarPort}/proxy/v1/containers?from=1&to=2`);
    const elsewhere = await get(`${base}:9180/proxy/v1/containers`);

    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ apiVersion: 'v1', path: '/v1/containers?from=1&to=2' });
    expect(elsewhere.status).toBe(503);
    expect(elsewhere.json().message).toBe(
      'error trying to reach service: dial tcp 127.0.0.2:9180: connect: connection refused'
    );
  });

  it('a live pod on a node the replay lacks is refused at start, naming the node', async () => {
    const start = startReplayServer({
      nodes: loadSummaryDirectory(FIXTURES).nodes,
      log: memoryLog(),
      livePods: [
        {
          namespace: 'headroom-demo',
          name: 'spiky-app',
          uid: 'u1',
          container: 'app',
          node: 'worker-7',
          limitBytes: 64 * MiB,
          startTimeMs: 0,
          annotations: {},
          sidecarPort: null,
          sidecarUrl: null,
          memory: () => null,
        },
      ],
    });

    await expect(start).rejects.toThrow(
      'live pod headroom-demo/spiky-app runs on node "worker-7", which the replay lacks'
    );
  });
});

describe('summary directory', () => {
  it('skips a file that is not JSON and one that is not a summary, with a warning naming each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-replay-'));
    try {
      writeFileSync(join(dir, 'a-node.json'), '{\r\n  "node": {"nodeName": "n1"},\r\n  "pods": []\r\n}\r\n');
      writeFileSync(join(dir, 'b-broken.json'), '{"node": ');
      writeFileSync(join(dir, 'c-other.json'), '{"items": []}');
      writeFileSync(join(dir, 'notes.txt'), 'not read');

      const loaded = loadSummaryDirectory(dir);

      expect(loaded.nodes.map((node) => node.name)).toEqual(['n1']);
      expect(loaded.warnings).toHaveLength(2);
      expect(loaded.warnings[0]).toMatch(/^b-broken\.json: skipped, not valid JSON/);
      expect(loaded.warnings[1]).toBe('c-other.json: skipped, not a kubelet summary (no "node" object)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing directory is an error naming it', () => {
    expect(() => loadSummaryDirectory(join(tmpdir(), 'headroom-no-such-dir'))).toThrow(
      /cannot read the summary directory/
    );
  });
});
