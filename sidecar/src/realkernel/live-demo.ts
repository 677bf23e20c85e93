/**
 * A live demonstration for the report CLI: where a child memory cgroup can be created, runs a workload that holds
 * 41 % of a 64 MiB limit and spikes to 94 % for 300 ms every 4 s, watches it with the sidecar's Collector for about
 * 17 s, and returns the true peak next to what a 15 s sampler of usage read.
 */
import type { PeakMethod } from '../../../src/core/sidecar-api';
import type { Collector } from '../collector';
import { CgroupV1Child, realCgroupV1Unavailable } from './cgroup-v1-child';
import { containerOf, watch } from './watch';
import { type Spiker, startSpiker } from './workload';

const MIB = 1024 * 1024;

export interface LiveDemoResult {
  ok: true;
  /** Highest window peak the Collector reported over the run. */
  truePeakBytes: number;
  /** Highest of the usage reads a 15 s sampler made over the same run. */
  sampled15sMaxBytes: number;
  limitBytes: number;
  method: PeakMethod;
  /** Spikes the workload made. */
  spikes: number;
}

export interface LiveDemoOptions {
  /** Reset the v1 peak mark each window (exact windows); default true, the cgroup is the demo's own. */
  v1ResetPeak?: boolean;
  limitBytes?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the demonstration, or says why it cannot run here (no writable cgroup v1 memory controller). */
export async function runLiveDemo(
  options: LiveDemoOptions = {}
): Promise<LiveDemoResult | { ok: false; reason: string }> {
  const reason = realCgroupV1Unavailable();
  if (reason) {
    return { ok: false, reason };
  }
  const limitBytes = options.limitBytes ?? 64 * MIB;
  const child = CgroupV1Child.create('live-demo', limitBytes);
  let collector: Collector | null = null;
  let spiker: Spiker | null = null;
  try {
    const startMs = Date.now();
    collector = watch([child], { v1ResetPeak: options.v1ResetPeak ?? true, sampleIntervalMs: 100, windowMs: 1000 });
    // Spikes at 2, 6, 10 and 14 s after the workload holds; the 15 s sampler reads at 0.5 s and 15.5 s.
    spiker = startSpiker(child, {
      holdToBytes: Math.round(limitBytes * 0.41),
      spikeToBytes: Math.round(limitBytes * 0.94),
      spikeMs: 300,
      periodMs: 4000,
      count: 4,
      firstSpikeMs: 2000,
    });
    const holding = await spiker.waitFor('holding', 10_000);

    const reads: number[] = [];
    for (const atMs of [500, 15_500]) {
      await sleep(holding.timeMs + atMs - Date.now());
      reads.push(child.readNumber('memory.usage_in_bytes'));
    }
    await sleep(1200);

    const container = containerOf(collector, child, startMs, Date.now());
    const peaks = container.windows.map((w) => w.peakBytes).filter((p): p is number => p !== null);
    return {
      ok: true,
      truePeakBytes: Math.max(...peaks),
      sampled15sMaxBytes: Math.max(...reads),
      limitBytes,
      method: container.method,
      spikes: spiker.spikes().length,
    };
  } catch (error) {
    return { ok: false, reason: `the demonstration failed: ${(error as Error).message}` };
  } finally {
    await spiker?.stop();
    collector?.stop();
    await child.remove();
  }
}
