import type { Server } from 'node:http';
import pino from 'pino';
import { containersResponseSchema, type ContainersResponse } from '../../../src/core/sidecar-api';
import { createMetricsRegistry } from '../metrics/metrics-registry';
import type { ContainerSource } from '../container-source';
import { apiContainer, FakeContainerSource, NOW_MS, window } from './fake-container-source';
import { close, createSidecarServer, listen } from './sidecar-server';

const MIB = 1024 * 1024;

let server: Server;
let base: string;

async function start(source: ContainerSource): Promise<void> {
  server = createSidecarServer({
    source,
    registry: createMetricsRegistry(source, { peakWindowMs: 60_000, now: () => NOW_MS }),
    scope: 'node',
    node: 'worker-3',
    log: pino({ level: 'silent' }),
    now: () => NOW_MS,
  });
  const address = await listen(server, '127.0.0.1', 0);
  base = `http://127.0.0.1:${address.port}`;
}

afterEach(async () => {
  await close(server);
});

describe('sidecar server', () => {
  it('answers /v1/containers for the last 5 minutes by default', async () => {
    await start(new FakeContainerSource([apiContainer()]));

    const response = await fetch(`${base}/v1/containers`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = await response.json();
    expect(containersResponseSchema.safeParse(body).success).toBe(true);
    expect(body).toEqual({
      apiVersion: 'v1',
      scope: 'node',
      node: 'worker-3',
      timeMs: NOW_MS,
      fromMs: NOW_MS - 300_000,
      toMs: NOW_MS,
      containers: [apiContainer()],
      notices: [],
    });
  });

  it('passes the asked range to the source, which keeps only the windows inside it', async () => {
    await start(new FakeContainerSource([apiContainer()]));

    const body = (await (
      await fetch(`${base}/v1/containers?from=${NOW_MS - 45_000}&to=${NOW_MS - 20_000}`)
    ).json()) as ContainersResponse;

    expect(body.fromMs).toBe(NOW_MS - 45_000);
    expect(body.toMs).toBe(NOW_MS - 20_000);
    expect(body.containers[0].windows).toEqual([window(30_000, 50 * MIB)]);
  });

  it.each([
    ['from=yesterday', 'from must be milliseconds since the epoch (a whole number), got "yesterday"'],
    ['from=-5', 'from must be milliseconds since the epoch (a whole number), got "-5"'],
    ['to=1.5e12', 'to must be milliseconds since the epoch (a whole number), got "1.5e12"'],
    [`from=${NOW_MS}&to=${NOW_MS - 1}`, `from (${NOW_MS}) is after to (${NOW_MS - 1})`],
    ['from=1&from=2', 'from is given 2 times; give it once'],
  ])('refuses %s with 400 and a JSON error', async (query, message) => {
    await start(new FakeContainerSource([apiContainer()]));

    const response = await fetch(`${base}/v1/containers?${query}`);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ apiVersion: 'v1', error: message });
  });

  it('answers one container by id, and 404 for an id it does not watch', async () => {
    await start(new FakeContainerSource([apiContainer()]));

    const found = await fetch(`${base}/v1/containers/pod3f2a-api-0c1d`);
    const missing = await fetch(`${base}/v1/containers/pod0000-gone`);

    expect(found.status).toBe(200);
    expect(await found.json()).toEqual(apiContainer());
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ apiVersion: 'v1', error: 'no watched container has the id "pod0000-gone"' });
  });

  it('serves Prometheus metrics with the trailing peak and the process metrics', async () => {
    await start(new FakeContainerSource([apiContainer()]));

    const response = await fetch(`${base}/metrics`);
    const lines = (await response.text()).split('\n');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(lines).toContain(
      'headroom_memory_peak_bytes{namespace="shop",pod="checkout-7d9f",container="api",pod_uid="3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",container_id="0c1d2e3f4a5b"} 52428800'
    );
    expect(lines.some((line) => line.startsWith('process_resident_memory_bytes '))).toBe(true);
  });

  it('healthz is ok while the source reads containers', async () => {
    await start(new FakeContainerSource([apiContainer()]));

    const response = await fetch(`${base}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', containers: 1, notices: [] });
  });

  it('healthz is degraded but 200 when the source reads containers and reports a problem', async () => {
    await start(new FakeContainerSource([apiContainer()], ['pod list unavailable: 403 Forbidden']));

    const response = await fetch(`${base}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'degraded',
      containers: 1,
      notices: ['pod list unavailable: 403 Forbidden'],
    });
  });

  it('healthz is 503 when the source can read nothing', async () => {
    await start(new FakeContainerSource([], ['cgroup root /sys/fs/cgroup is not readable']));

    const response = await fetch(`${base}/healthz`);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'unavailable',
      containers: 0,
      notices: ['cgroup root /sys/fs/cgroup is not readable'],
    });
  });

  it('answers 404 for an unknown path and 405 for anything but GET and HEAD', async () => {
    await start(new FakeContainerSource([apiContainer()]));

    const unknown = await fetch(`${base}/v2/containers`);
    const post = await fetch(`${base}/v1/containers`, { method: 'POST', body: '{}' });

    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ apiVersion: 'v1', error: 'no such path: /v2/containers' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await post.json()).toEqual({ apiVersion: 'v1', error: 'method POST is not allowed' });
  });

  it('HEAD answers with the headers of GET and no body', async () => {
    await start(new FakeContainerSource([apiContainer()]));

    const get = await fetch(`${base}/healthz`);
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });

    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    expect(await head.text()).toBe('');
  });

  it('a source that fails answers 500 with a JSON error and keeps serving', async () => {
    let fail = true;
    const flaky: ContainerSource = {
      containers: () => {
        if (fail) {
          fail = false;
          throw new Error('EIO reading memory.stat');
        }
        return [apiContainer()];
      },
      notices: () => [],
    };
    await start(flaky);

    const failed = await fetch(`${base}/v1/containers`);
    const next = await fetch(`${base}/v1/containers`);

    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ apiVersion: 'v1', error: 'internal error; see the sidecar log' });
    expect(next.status).toBe(200);
  });
});
