/**
 * On the real kernel (cgroup v1): a workload that allocates past its limit is OOM-killed, and the sidecar reports it.
 */
import type { Collector } from '../collector';
import { CgroupV1Child, realCgroupV1Unavailable, removeAllChildren } from './cgroup-v1-child';
import { containerOf, highestWindowPeak, watch } from './watch';
import { startSpiker } from './workload';

const MIB = 1024 * 1024;
const LIMIT_BYTES = 64 * MIB;

const reason = realCgroupV1Unavailable();
if (reason) {
  console.warn(`skipped: real cgroup v1 OOM tests: ${reason}`);
}
const cgroupIt = reason ? it.skip : it;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a workload that tries to hold 96 MiB under a 64 MiB limit; returns how it ended and what the sidecar saw. */
async function runPastTheLimit(v1ResetPeak: boolean) {
  const child = CgroupV1Child.create('oom', LIMIT_BYTES);
  let collector: Collector | null = null;
  try {
    const startMs = Date.now();
    collector = watch([child], { v1ResetPeak, sampleIntervalMs: 100, windowMs: 1000 });
    // The first read is the baseline every later counter increase is measured from, and the first window (which began
    // before the peak mark was reset) is over before the workload starts.
    await sleep(1200);

    const spiker = startSpiker(child, { holdBytes: 96 * MIB });
    const exit = await Promise.race([spiker.exited, sleep(10_000).then(() => null)]);
    const killedMs = Date.now();
    // Peaks and the lifetime mark are read when a window closes: wait for the window of the kill to close.
    await sleep(1200);

    const container = containerOf(collector, child, startMs, Date.now());
    return { exit, killedMs, container, kernelOomKills: child.oomKillCount() };
  } finally {
    collector?.stop();
    await child.remove();
  }
}

afterAll(async () => {
  await removeAllChildren();
});

describe('an OOM kill on a real cgroup v1 memory controller', () => {
  cgroupIt(
    'without the reset flag, the sidecar reports the oom_kill event and the lifetime peak shows the charge reached the limit',
    async () => {
      const { exit, killedMs, container, kernelOomKills } = await runPastTheLimit(false);

      expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
      expect(kernelOomKills).toBe(1);
      expect(container.events.oom_kill).toBe(1);
      const oomEvent = container.recentEvents.find((e) => e.kind === 'oom_kill');
      expect(oomEvent).toMatchObject({ kind: 'oom_kill', delta: 1, count: 1 });
      expect(oomEvent!.timeMs).toBeLessThanOrEqual(killedMs + 1200);
      expect(container.events.max!).toBeGreaterThanOrEqual(1);
      expect(container.lifetimePeakBytes!).toBeGreaterThanOrEqual(0.99 * LIMIT_BYTES);
    },
    30_000
  );

  cgroupIt(
    'with the reset flag, the sidecar reports the oom_kill event and the exact window peak reached the limit',
    async () => {
      const { exit, container, kernelOomKills } = await runPastTheLimit(true);

      expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
      expect(kernelOomKills).toBe(1);
      expect(container.events.oom_kill).toBe(1);
      expect(container.recentEvents.map((e) => e.kind)).toContain('oom_kill');
      const oomWindow = highestWindowPeak(container.windows, 0, Date.now());
      expect(oomWindow?.peakExact).toBe(true);
      expect(oomWindow?.limitHit).toBe(true);
      expect(oomWindow!.peakBytes!).toBeGreaterThanOrEqual(0.99 * LIMIT_BYTES);
    },
    30_000
  );
});
