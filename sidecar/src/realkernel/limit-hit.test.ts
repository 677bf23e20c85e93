/**
 * On the real kernel (cgroup v1): a spike that reaches the limit while clean page cache can be reclaimed is not
 * killed, but `memory.failcnt` counts the hit, and the sidecar reports it as a limit hit.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Collector } from '../collector';
import { CgroupV1Child, realCgroupV1Unavailable, removeAllChildren } from './cgroup-v1-child';
import { containerOf, highestWindowPeak, watch } from './watch';
import { type Spiker, startSpiker } from './workload';

const MIB = 1024 * 1024;
const LIMIT_BYTES = 64 * MIB;

const reason = realCgroupV1Unavailable();
if (reason) {
  console.warn(`skipped: real cgroup v1 limit-hit tests: ${reason}`);
}
const cgroupIt = reason ? it.skip : it;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cacheFiles: string[] = [];

/** 40 MiB of clean page cache plus a 200 ms spike of 30 MiB under a 64 MiB limit: reclaim makes room, failcnt rises. */
async function runSpikeIntoReclaim(v1ResetPeak: boolean) {
  const child = CgroupV1Child.create('limit-hit', LIMIT_BYTES);
  const cacheFile = join(tmpdir(), `${child.path.split('/').pop()}.cache`);
  cacheFiles.push(cacheFile);
  let collector: Collector | null = null;
  let spiker: Spiker | null = null;
  try {
    const startMs = Date.now();
    collector = watch([child], { v1ResetPeak, sampleIntervalMs: 100, windowMs: 1000 });
    // Past the first window, which began before the peak mark was reset.
    await sleep(1200);

    spiker = startSpiker(child, {
      fileCacheBytes: 40 * MIB,
      cacheFile,
      spikeBytes: 30 * MIB,
      spikeMs: 200,
      count: 1,
      firstSpikeMs: 300,
    });
    await spiker.waitFor('spike-released', 10_000);
    // The window holding the spike gets its exact peak when it closes; one window and a sample later it has.
    await sleep(1200);

    const container = containerOf(collector, child, startMs, Date.now());
    const stillRunning = spiker.process.exitCode === null && spiker.process.signalCode === null;
    return {
      container,
      spike: spiker.spikes()[0],
      stillRunning,
      failcnt: child.readNumber('memory.failcnt'),
      kernelOomKills: child.oomKillCount(),
    };
  } finally {
    await spiker?.stop();
    collector?.stop();
    await child.remove();
    rmSync(cacheFile, { force: true });
  }
}

afterAll(async () => {
  await removeAllChildren();
  cacheFiles.forEach((file) => rmSync(file, { force: true }));
});

describe('a limit hit without an OOM kill on a real cgroup v1 memory controller', () => {
  cgroupIt(
    'without the reset flag, failcnt increases show as max events and a limit hit in the window of the spike',
    async () => {
      const { container, spike, stillRunning, failcnt, kernelOomKills } = await runSpikeIntoReclaim(false);

      expect(stillRunning).toBe(true);
      expect(kernelOomKills).toBe(0);
      expect(failcnt).toBeGreaterThanOrEqual(1);
      expect(container.events.max).toBe(failcnt);
      expect(container.events.oom_kill).toBe(0);
      const maxEvent = container.recentEvents.find((e) => e.kind === 'max');
      expect(maxEvent!.timeMs).toBeGreaterThanOrEqual(spike.startMs);
      expect(maxEvent!.timeMs).toBeLessThanOrEqual(spike.releasedMs + 1000);
      const hitWindows = container.windows.filter((w) => w.limitHit);
      expect(hitWindows.length).toBeGreaterThanOrEqual(1);
      expect(hitWindows.every((w) => w.startMs <= spike.releasedMs + 1000 && w.endMs >= spike.startMs)).toBe(true);
      expect(container.lifetimePeakBytes!).toBeGreaterThanOrEqual(0.99 * LIMIT_BYTES);
    },
    30_000
  );

  cgroupIt(
    'with the reset flag, the exact window peak of the spike reaches the limit and the window is marked as a limit hit',
    async () => {
      const { container, spike, stillRunning, failcnt } = await runSpikeIntoReclaim(true);

      expect(stillRunning).toBe(true);
      expect(failcnt).toBeGreaterThanOrEqual(1);
      expect(container.events.max).toBe(failcnt);
      expect(container.recentEvents.map((e) => e.kind)).toContain('max');
      const spikeWindow = highestWindowPeak(container.windows, spike.startMs, spike.endMs);
      expect(spikeWindow?.peakExact).toBe(true);
      expect(spikeWindow!.peakBytes!).toBeGreaterThanOrEqual(0.99 * LIMIT_BYTES);
      expect(container.windows.some((w) => w.limitHit && w.startMs <= spike.releasedMs + 1000)).toBe(true);
    },
    30_000
  );
});
