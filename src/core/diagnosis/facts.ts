/** The numbers every verdict is judged on, derived once from a `DiagnosisInput`. */
import { linearFit, LinearFit, maxOf, meanOf, quantileOf, stepShare } from './series-stats';
import { DiagnosisInput } from './types';

/** The first minutes after a start, when runtimes load code, warm caches and JIT-compile. */
export const STARTUP_MS = 5 * 60_000;

const HOUR_MS = 3_600_000;

export interface Facts {
  limitBytes: number | null;
  /** Highest charge known from exact window peaks, the lifetime peak, sampled peaks or samples. */
  truePeakBytes: number | null;
  /** The true peak comes from the kernel's own high-water mark (exact windows or lifetime peak). */
  peakFromKernel: boolean;
  /** Time of the highest window peak, when known. */
  peakTimeMs: number | null;
  /** What sampled monitoring saw at most, and on average. */
  sampledMaxBytes: number | null;
  sampledMeanBytes: number | null;
  sampledMedianBytes: number | null;
  /** Highest peak inside the startup window, and the typical peak after it. */
  startupPeakBytes: number | null;
  steadyBytes: number | null;
  /** anon + unreclaimable kernel memory + socket buffers: what the kernel cannot drop before it kills. */
  unreclaimableBytes: number | null;
  /** Growth of unreclaimable memory, bytes per hour, and how line-like or step-like it is. */
  growthPerHour: number | null;
  growthFit: LinearFit | null;
  growthStepShare: number | null;
  /** Hours until usage reaches the limit (reclaim starts) and until unreclaimable memory does (OOM kill). */
  hoursToLimit: number | null;
  hoursToOom: number | null;
}

/** Memory the kernel cannot reclaim: anon, kernel memory other than reclaimable slab, and socket buffers. */
export function unreclaimableOf(input: DiagnosisInput): number | null {
  const m = input.memory;
  if (m.anonBytes === null) {
    return null;
  }
  const kernel = m.kernelBytes === null ? 0 : Math.max(0, m.kernelBytes - (m.slabReclaimableBytes ?? 0));
  return m.anonBytes + kernel + (m.sockBytes ?? 0);
}

/** Derive the facts; pure and linear in the input's length. */
export function factsOf(input: DiagnosisInput): Facts {
  const exactPeaks = input.peaks.filter((p) => p.exact);
  const sampled = input.sampledWorkingSet.map((s) => s.bytes);
  const sampledMaxBytes = maxOf(sampled);

  let peakTimeMs: number | null = null;
  let windowPeak: number | null = null;
  for (const p of input.peaks) {
    if (windowPeak === null || p.peakBytes > windowPeak) {
      windowPeak = p.peakBytes;
      peakTimeMs = p.timeMs;
    }
  }
  const candidates = [windowPeak, input.lifetimePeakBytes, sampledMaxBytes].filter((v): v is number => v !== null);
  const truePeakBytes = maxOf(candidates);
  const peakFromKernel = exactPeaks.length > 0 || input.lifetimePeakBytes !== null;

  let startupPeakBytes: number | null = null;
  const steady: number[] = [];
  if (input.startedMs !== null) {
    const startupEnd = input.startedMs + STARTUP_MS;
    const series = input.peaks.length > 0 ? input.peaks.map((p) => ({ t: p.timeMs, v: p.peakBytes })) : [];
    const fallback = input.sampledWorkingSet.map((s) => ({ t: s.timeMs, v: s.bytes }));
    for (const { t, v } of series.length > 0 ? series : fallback) {
      if (t <= startupEnd) {
        startupPeakBytes = startupPeakBytes === null ? v : Math.max(startupPeakBytes, v);
      } else {
        steady.push(v);
      }
    }
  }

  const unreclaimableBytes = unreclaimableOf(input) ?? input.unreclaimable.at(-1)?.bytes ?? null;
  const growthFit = linearFit(input.unreclaimable);
  const growthPerHour = growthFit ? growthFit.slope * HOUR_MS : null;
  const limit = input.limitBytes;
  const growing = growthPerHour !== null && growthPerHour > 0;
  const usageNow = input.memory.usageBytes;

  return {
    limitBytes: limit,
    truePeakBytes,
    peakFromKernel,
    peakTimeMs,
    sampledMaxBytes,
    sampledMeanBytes: meanOf(sampled),
    sampledMedianBytes: quantileOf(sampled, 0.5),
    startupPeakBytes,
    steadyBytes: quantileOf(steady, 0.5),
    unreclaimableBytes,
    growthPerHour,
    growthFit,
    growthStepShare: stepShare(input.unreclaimable),
    hoursToLimit: growing && limit !== null && usageNow !== null ? Math.max(0, limit - usageNow) / growthPerHour : null,
    hoursToOom:
      growing && limit !== null && unreclaimableBytes !== null
        ? Math.max(0, limit - unreclaimableBytes) / growthPerHour
        : null,
  };
}
