/**
 * On the real kernel (cgroup v1): a 300 ms spike to 94 % of the limit, from a container that otherwise holds 41 %,
 * shows in the sidecar's window peak while a 15 s sampler of usage (what the kubelet and Prometheus see) misses it.
 */
import type { Collector } from '../collector';
import { CgroupV1Child, realCgroupV1Unavailable, removeAllChildren } from './cgroup-v1-child';
import { containerOf, highestWindowPeak, watch } from './watch';
import { type Spiker, startSpiker } from './workload';

const MIB = 1024 * 1024;
const LIMIT_BYTES = 64 * MIB;
const HOLD_BYTES = 26 * MIB;
const SPIKE_TO_BYTES = 60 * MIB;
const SCRAPE_INTERVAL_MS = 15_000;

const reason = realCgroupV1Unavailable();
if (reason) {
  console.warn(`skipped: real cgroup v1 spike tests: ${reason}`);
}
const cgroupIt = reason ? it.skip : it;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one run shows: the Collector's view, the spike as the workload timed it, and a 15 s sampler's two reads. */
async function runSpikeUnder15sSampler(v1ResetPeak: boolean, sampleIntervalMs: number) {
  const child = CgroupV1Child.create('spike', LIMIT_BYTES);
  let collector: Collector | null = null;
  let spiker: Spiker | null = null;
  try {
    const startMs = Date.now();
    collector = watch([child], { v1ResetPeak, sampleIntervalMs, windowMs: 1000 });
    spiker = startSpiker(child, {
      holdToBytes: HOLD_BYTES,
      spikeToBytes: SPIKE_TO_BYTES,
      spikeMs: 300,
      count: 1,
      firstSpikeMs: 1500,
    });

    // The scraper's first read lands while the container holds steady, before the spike starts.
    await spiker.waitFor('holding', 5000);
    await sleep(500);
    const firstRead = { timeMs: Date.now(), bytes: child.readNumber('memory.usage_in_bytes') };

    await spiker.waitFor('spike-released', 5000);
    await sleep(firstRead.timeMs + SCRAPE_INTERVAL_MS - Date.now());
    const secondRead = { timeMs: Date.now(), bytes: child.readNumber('memory.usage_in_bytes') };

    const container = containerOf(collector, child, startMs, Date.now());
    return { container, spike: spiker.spikes()[0], reads: [firstRead, secondRead] };
  } finally {
    await spiker?.stop();
    collector?.stop();
    await child.remove();
  }
}

afterAll(async () => {
  await removeAllChildren();
});

describe('a 300 ms spike on a real cgroup v1 memory controller', () => {
  cgroupIt(
    'without the reset flag, 100 ms sampling and the lifetime peak show the spike to 94 % that a 15 s sampler reads as 41 %',
    async () => {
      const { container, spike, reads } = await runSpikeUnder15sSampler(false, 100);

      expect(container.method).toBe('v1-sampled');
      expect(container.limitBytes).toBe(LIMIT_BYTES);
      const spikeWindow = highestWindowPeak(container.windows, spike.peakMs, spike.endMs);
      expect(spikeWindow?.peakExact).toBe(false);
      expect(spikeWindow!.peakBytes!).toBeGreaterThanOrEqual(0.9 * LIMIT_BYTES);
      expect(container.lifetimePeakBytes!).toBeGreaterThanOrEqual(0.9 * LIMIT_BYTES);

      // The 15 s sampler's reads fall before and after the spike, and both see the steady 41 %.
      expect(reads[0].timeMs).toBeLessThan(spike.startMs);
      expect(reads[1].timeMs).toBeGreaterThan(spike.releasedMs);
      expect(Math.max(reads[0].bytes, reads[1].bytes)).toBeLessThan(0.6 * LIMIT_BYTES);
    },
    30_000
  );

  cgroupIt(
    'with the reset flag, the 1 s window peak is exact and shows the spike to 94 % even though usage is sampled only each second',
    async () => {
      const { container, spike, reads } = await runSpikeUnder15sSampler(true, 1000);

      expect(container.method).toBe('v1-reset');
      const spikeWindow = highestWindowPeak(container.windows, spike.peakMs, spike.endMs);
      expect(spikeWindow?.peakExact).toBe(true);
      expect(spikeWindow!.peakBytes!).toBeGreaterThanOrEqual(0.9 * LIMIT_BYTES);

      // Windows away from the spike fall back to the steady level: the peak is per window, not a lifetime maximum.
      const quietWindow = highestWindowPeak(container.windows, reads[1].timeMs - 1500, reads[1].timeMs - 1000);
      expect(quietWindow!.peakBytes!).toBeLessThan(0.6 * LIMIT_BYTES);

      expect(reads[0].timeMs).toBeLessThan(spike.startMs);
      expect(reads[1].timeMs).toBeGreaterThan(spike.releasedMs);
      expect(Math.max(reads[0].bytes, reads[1].bytes)).toBeLessThan(0.6 * LIMIT_BYTES);
    },
    30_000
  );
});
