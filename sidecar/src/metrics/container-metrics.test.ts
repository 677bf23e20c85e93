import { Registry } from 'prom-client';
import { apiContainer, FakeContainerSource, NOW_MS, window } from '../server/fake-container-source';
import { registerContainerMetrics } from './container-metrics';

const MIB = 1024 * 1024;
const API_LABELS =
  'namespace="shop",pod="checkout-7d9f",container="api",pod_uid="3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",container_id="0c1d2e3f4a5b"';

async function scrape(source: FakeContainerSource): Promise<string[]> {
  const registry = new Registry();
  registerContainerMetrics(registry, source, { peakWindowMs: 60_000, now: () => NOW_MS });
  return (await registry.metrics()).split('\n');
}

function samples(lines: string[], name: string): string[] {
  return lines.filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('container metrics', () => {
  it('a 50 MiB spike 30 s ago is the peak for a 60 s peak window although usage now is 40 MiB', async () => {
    const lines = await scrape(new FakeContainerSource([apiContainer()]));

    expect(samples(lines, 'headroom_memory_peak_bytes')).toEqual([
      `headroom_memory_peak_bytes{${API_LABELS}} 52428800`,
    ]);
    expect(samples(lines, 'headroom_memory_usage_bytes')).toEqual([
      `headroom_memory_usage_bytes{${API_LABELS}} 41943040`,
    ]);
  });

  it('a spike older than the peak window no longer counts', async () => {
    const container = apiContainer({ windows: [window(90_000, 58 * MIB), window(0, 40 * MIB)] });

    const lines = await scrape(new FakeContainerSource([container]));

    expect(samples(lines, 'headroom_memory_peak_bytes')).toEqual([
      `headroom_memory_peak_bytes{${API_LABELS}} 41943040`,
    ]);
  });

  it('exports every figure of the container with its kernel value', async () => {
    const lines = await scrape(new FakeContainerSource([apiContainer()]));

    expect(samples(lines, 'headroom_memory_limit_bytes')).toEqual([
      `headroom_memory_limit_bytes{${API_LABELS}} 67108864`,
    ]);
    expect(samples(lines, 'headroom_memory_lifetime_peak_bytes')).toEqual([
      `headroom_memory_lifetime_peak_bytes{${API_LABELS}} 62914560`,
    ]);
    expect(samples(lines, 'headroom_memory_working_set_bytes')).toEqual([
      `headroom_memory_working_set_bytes{${API_LABELS}} 37748736`,
    ]);
    expect(samples(lines, 'headroom_memory_anon_bytes')).toEqual([
      `headroom_memory_anon_bytes{${API_LABELS}} 29360128`,
    ]);
    expect(samples(lines, 'headroom_memory_file_bytes')).toEqual([
      `headroom_memory_file_bytes{${API_LABELS}} 10485760`,
    ]);
    expect(samples(lines, 'headroom_memory_unreclaimable_bytes')).toEqual([
      `headroom_memory_unreclaimable_bytes{${API_LABELS}} 31457280`,
    ]);
    expect(samples(lines, 'headroom_memory_threads')).toEqual([`headroom_memory_threads{${API_LABELS}} 24`]);
    expect(samples(lines, 'headroom_memory_pressure_some_ratio')).toEqual([
      `headroom_memory_pressure_some_ratio{${API_LABELS}} 0.025`,
    ]);
    expect(samples(lines, 'headroom_container_start_time_seconds')).toEqual([
      `headroom_container_start_time_seconds{${API_LABELS}} 1699996400`,
    ]);
    expect(samples(lines, 'headroom_memory_peak_exact')).toEqual([
      `headroom_memory_peak_exact{${API_LABELS},method="v2-peak-reset"} 1`,
    ]);
  });

  it('kernel event counters are exported as counters with their kernel counts', async () => {
    const lines = await scrape(new FakeContainerSource([apiContainer()]));

    expect(lines).toContain('# TYPE headroom_memory_events_total counter');
    expect(samples(lines, 'headroom_memory_events_total')).toEqual([
      `headroom_memory_events_total{${API_LABELS},event="max"} 3`,
      `headroom_memory_events_total{${API_LABELS},event="high"} 0`,
      `headroom_memory_events_total{${API_LABELS},event="oom"} 1`,
      `headroom_memory_events_total{${API_LABELS},event="oom_kill"} 1`,
    ]);
  });

  it('an unlimited container has no limit series, and unknown values have no series rather than 0', async () => {
    const container = apiContainer({
      limitBytes: null,
      lifetimePeakBytes: null,
      pressure: null,
      threads: null,
      startedMs: null,
      events: { max: null, high: null, oom: 2, oom_kill: 2 },
    });

    const lines = await scrape(new FakeContainerSource([container]));

    expect(samples(lines, 'headroom_memory_limit_bytes')).toEqual([]);
    // Already running when the sidecar started: its start is unknown, so no startup rule can misfire on it.
    expect(samples(lines, 'headroom_container_start_time_seconds')).toEqual([]);
    expect(samples(lines, 'headroom_memory_lifetime_peak_bytes')).toEqual([]);
    expect(samples(lines, 'headroom_memory_pressure_some_ratio')).toEqual([]);
    expect(samples(lines, 'headroom_memory_threads')).toEqual([]);
    expect(samples(lines, 'headroom_memory_high_bytes')).toEqual([]);
    expect(samples(lines, 'headroom_memory_events_total')).toEqual([
      `headroom_memory_events_total{${API_LABELS},event="oom"} 2`,
      `headroom_memory_events_total{${API_LABELS},event="oom_kill"} 2`,
    ]);
    expect(samples(lines, 'headroom_memory_usage_bytes')).toEqual([
      `headroom_memory_usage_bytes{${API_LABELS}} 41943040`,
    ]);
  });

  it('allocator figures appear only where the app offers them', async () => {
    const withAllocator = apiContainer({
      allocator: {
        timeMs: NOW_MS - 2000,
        allocatedBytes: 100_000_000,
        residentBytes: 1_800_000_000,
        retainedBytes: null,
      },
    });

    const lines = await scrape(new FakeContainerSource([withAllocator]));
    const without = await scrape(new FakeContainerSource([apiContainer()]));

    expect(samples(lines, 'headroom_memory_allocator_allocated_bytes')).toEqual([
      `headroom_memory_allocator_allocated_bytes{${API_LABELS}} 100000000`,
    ]);
    expect(samples(lines, 'headroom_memory_allocator_resident_bytes')).toEqual([
      `headroom_memory_allocator_resident_bytes{${API_LABELS}} 1800000000`,
    ]);
    expect(samples(without, 'headroom_memory_allocator_allocated_bytes')).toEqual([]);
  });

  it('sampled windows mark the peak as not exact and name the method', async () => {
    const sampled = apiContainer({
      method: 'v2-peak-sampled',
      windows: [window(30_000, 50 * MIB, { peakExact: false }), window(0, 40 * MIB, { peakExact: false })],
    });

    const lines = await scrape(new FakeContainerSource([sampled]));

    expect(samples(lines, 'headroom_memory_peak_exact')).toEqual([
      `headroom_memory_peak_exact{${API_LABELS},method="v2-peak-sampled"} 0`,
    ]);
  });

  it('a container the pod list did not name is labelled by pod UID and container ID with empty names', async () => {
    const unnamed = apiContainer({
      identity: { ...apiContainer().identity, namespace: null, pod: null, container: null },
    });

    const lines = await scrape(new FakeContainerSource([unnamed]));

    expect(samples(lines, 'headroom_memory_usage_bytes')).toEqual([
      'headroom_memory_usage_bytes{namespace="",pod="",container="",pod_uid="3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",container_id="0c1d2e3f4a5b"} 41943040',
    ]);
  });

  it('one scrape reads the source once, and the next scrape reads it again', async () => {
    const source = new FakeContainerSource([apiContainer()]);
    const registry = new Registry();
    registerContainerMetrics(registry, source, { peakWindowMs: 60_000, now: () => NOW_MS });

    await registry.metrics();
    expect(source.reads).toBe(1);

    await registry.metrics();
    expect(source.reads).toBe(2);
  });
});
