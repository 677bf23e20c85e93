import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { AllocatorPoller } from './allocator-poller';

const NOW_MS = 1_700_000_000_000;

let server: Server;
let answer: { status: number; body: string; delayMs?: number };
let url: string;
let logs: Array<{ level: number; msg: string }>;

function logger() {
  logs = [];
  return pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
}

beforeEach(async () => {
  server = createServer((_request, response) => {
    setTimeout(() => {
      response.writeHead(answer.status, { 'Content-Type': 'application/json' });
      response.end(answer.body);
    }, answer.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/debug/jemalloc`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('allocator poller', () => {
  it('keeps the figures of the last successful poll', async () => {
    answer = { status: 200, body: JSON.stringify({ allocated: 104857600, resident: 1932735283, retained: 0 }) };
    const poller = new AllocatorPoller({ url, log: logger(), now: () => NOW_MS });

    await poller.poll();

    expect(poller.current()).toEqual({
      timeMs: NOW_MS,
      allocatedBytes: 104857600,
      residentBytes: 1932735283,
      retainedBytes: 0,
    });
    expect(poller.notice()).toBeNull();
  });

  it('a failing endpoint makes the figures null and warns once until it recovers', async () => {
    answer = { status: 200, body: JSON.stringify({ allocated: 104857600 }) };
    const poller = new AllocatorPoller({ url, log: logger(), now: () => NOW_MS });
    await poller.poll();

    answer = { status: 503, body: '{}' };
    await poller.poll();
    await poller.poll();
    await poller.poll();

    expect(poller.current()).toBeNull();
    expect(poller.notice()).toBe(`allocator stats from ${url} unavailable: HTTP 503`);
    expect(logs.filter((entry) => entry.level === 40).map((entry) => entry.msg)).toEqual([
      'allocator stats unavailable',
    ]);

    answer = { status: 200, body: JSON.stringify({ allocated: 99614720 }) };
    await poller.poll();

    expect(poller.current()?.allocatedBytes).toBe(99614720);
    expect(logs.map((entry) => entry.msg)).toEqual(['allocator stats unavailable', 'allocator stats available again']);
  });

  it('an endpoint slower than the timeout counts as a failure', async () => {
    answer = { status: 200, body: JSON.stringify({ allocated: 104857600 }), delayMs: 500 };
    const poller = new AllocatorPoller({ url, log: logger(), timeoutMs: 50, now: () => NOW_MS });

    await poller.poll();

    expect(poller.current()).toBeNull();
    expect(poller.notice()).toBe(`allocator stats from ${url} unavailable: no answer within 50 ms`);
  });

  it('a body that is not allocator stats is a failure with the reason', async () => {
    answer = { status: 200, body: JSON.stringify({ heapUsed: 1 }) };
    const poller = new AllocatorPoller({ url, log: logger(), now: () => NOW_MS });

    await poller.poll();

    expect(poller.current()).toBeNull();
    expect(poller.notice()).toBe(
      `allocator stats from ${url} unavailable: the allocator stats have none of allocated, resident, retained`
    );
  });

  it('figures older than three intervals are no longer current', async () => {
    let nowMs = NOW_MS;
    answer = { status: 200, body: JSON.stringify({ allocated: 104857600 }) };
    const poller = new AllocatorPoller({ url, log: logger(), intervalMs: 5000, now: () => nowMs });
    await poller.poll();

    nowMs += 15_001;

    expect(poller.current()).toBeNull();
  });
});
