// The sidecar's HTTP server, metrics and flags under hostile requests and values: each gets a clear 4xx or a clear
// configuration error, never a 500, a crash or a wrong number.
import type { Server } from 'node:http';
import { connect } from 'node:net';

import pino from 'pino';

import { MAX_WINDOWS, parseConfig, parseDuration } from '../../sidecar/src/config';
import { createMetricsRegistry } from '../../sidecar/src/metrics/metrics-registry';
import { apiContainer, FakeContainerSource, NOW_MS } from '../../sidecar/src/server/fake-container-source';
import { close, createSidecarServer, listen } from '../../sidecar/src/server/sidecar-server';

let server: Server;
let port: number;
let errorLogs: string[];

async function start(source = new FakeContainerSource([apiContainer()])): Promise<void> {
  errorLogs = [];
  server = createSidecarServer({
    source,
    registry: createMetricsRegistry(source, { peakWindowMs: 60_000, now: () => NOW_MS }),
    scope: 'node',
    node: 'worker-3',
    log: pino({ level: 'error' }, { write: (line: string) => errorLogs.push(line) }),
    now: () => NOW_MS,
  });
  port = (await listen(server, '127.0.0.1', 0)).port;
}

afterEach(async () => {
  await close(server);
});

/** Sends a request line as written, without a client normalising the target first. */
function rawGet(target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: sidecar\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('end', () => {
      const [head, ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body: rest.join('\r\n\r\n') });
    });
    socket.on('error', reject);
  });
}

describe('sidecar server under hostile requests', () => {
  it('a request target that is not a valid URL ("//[") is a 404 for that path, not a 500 with an error log', async () => {
    await start();

    const response = await rawGet('//[');

    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ apiVersion: 'v1', error: 'no such path: //[' });
    expect(errorLogs).toEqual([]);
  });

  it('an absolute-form or protocol-relative target is not resolved to /v1/containers', async () => {
    await start();

    const protocolRelative = await rawGet('//evil.example/v1/containers');

    expect(protocolRelative.status).toBe(404);
  });

  it('a time past 2^53 ms is refused rather than read as a different number', async () => {
    await start();

    const response = await fetch(`http://127.0.0.1:${port}/v1/containers?from=0&to=9999999999999999`);

    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe(
      'to (9999999999999999) is past the largest exact time, 9007199254740991 ms'
    );
  });

  it('a range ending near the epoch does not start before it', async () => {
    await start();

    const body = await (await fetch(`http://127.0.0.1:${port}/v1/containers?to=1000`)).json();

    expect([body.fromMs, body.toMs]).toEqual([0, 1000]);
  });

  it.each([
    ['from=abc', 'from must be milliseconds since the epoch (a whole number), got "abc"'],
    ['from=1e3', 'from must be milliseconds since the epoch (a whole number), got "1e3"'],
    ['from=-5', 'from must be milliseconds since the epoch (a whole number), got "-5"'],
    ['from=5&to=3', 'from (5) is after to (3)'],
    ['to=1&to=2', 'to is given 2 times; give it once'],
  ])('?%s is a 400 that says why', async (query, error) => {
    await start();

    const response = await fetch(`http://127.0.0.1:${port}/v1/containers?${query}`);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ apiVersion: 'v1', error });
  });

  it('a percent-encoded path traversal is only an unknown container id', async () => {
    await start();

    const response = await rawGet('/v1/containers/..%2f..%2f..%2fetc%2fpasswd');

    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error).toBe('no watched container has the id "../../../etc/passwd"');
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s is 405 with Allow: GET, HEAD', async (method) => {
    await start();

    const response = await fetch(`http://127.0.0.1:${port}/v1/containers`, { method });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('a 100 KB URL is refused by the HTTP layer (431) and the server keeps answering', async () => {
    await start();

    const long = await fetch(`http://127.0.0.1:${port}/v1/containers?pad=${'a'.repeat(100_000)}`);
    const after = await fetch(`http://127.0.0.1:${port}/healthz`);

    expect(long.status).toBe(431);
    expect(after.status).toBeLessThan(500);
  });
});

describe('metrics exposition with hostile names', () => {
  it('quotes, newlines, backslashes and non-ASCII in names are escaped and one series stays one line', async () => {
    const container = apiContainer({
      identity: {
        namespace: 'shop"\n\\x',
        pod: 'checkout-é-😀',
        container: 'api"} 1\nfake_metric 2',
        podUid: null,
        containerId: null,
        cgroupPath: 'x',
      },
    });
    await start(new FakeContainerSource([container]));

    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

    const limitLines = text.split('\n').filter((line) => line.startsWith('headroom_memory_limit_bytes{'));
    expect(limitLines).toEqual([
      'headroom_memory_limit_bytes{namespace="shop\\"\\n\\\\x",pod="checkout-é-😀",container="api\\"} 1\\nfake_metric 2",pod_uid="",container_id=""} 67108864',
    ]);
    expect(text.split('\n').some((line) => line.startsWith('fake_metric'))).toBe(false);
  });
});

describe('sidecar flags and environment under odd values', () => {
  it('a duration that rounds to 0 ms is refused instead of giving a window of 0', () => {
    expect(() => parseDuration('0.4ms', '--window')).toThrow('--window: "0.4ms" rounds to 0 ms; give at least 1ms');
  });

  it('a duration of 100000h is refused as longer than 30 days', () => {
    expect(() => parseDuration('100000h', '--keep')).toThrow('--keep: "100000h" is longer than 30 days');
  });

  it('--keep 1h with --window 1ms is 3.6 million windows per container: refused at start', () => {
    expect(() =>
      parseConfig(['--scope', 'node', '--window', '1ms', '--sample-interval', '1ms', '--keep', '1h'], {})
    ).toThrow(`--keep (3600000 ms) / --window (1 ms) is 3600000 windows per container; at most ${MAX_WINDOWS}`);
  });

  it.each([
    [['--scope', 'node', '--listen', '0.0.0.0:70000'], {}, '--listen: "0.0.0.0:70000" is not HOST:PORT'],
    [['--scope', 'node'], { HEADROOM_V1_RESET_PEAK: 'maybe' }, 'HEADROOM_V1_RESET_PEAK: "maybe" is not true or false'],
    [['--scope', 'node'], { HEADROOM_LOG_LEVEL: 'loud' }, '--log-level: "loud" is not one of'],
    [['--scope', 'pod'], { POD_UID: '   ' }, 'pod scope needs the pod UID'],
    [['--scope', 'node', '--unknown'], {}, "Unknown option '--unknown'"],
    [[], { HEADROOM_CGROUP: 'a,,b', HEADROOM_NAME: 'x,y,z' }, '--cgroup and --name must not be empty'],
  ] as Array<[string[], Record<string, string>, string]>)(
    '%j with %j is a configuration error',
    (argv, env, message) => {
      expect(() => parseConfig(argv, env)).toThrow(message);
    }
  );
});
