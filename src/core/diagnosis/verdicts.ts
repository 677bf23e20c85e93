/**
 * The verdict rules. Each looks at the facts of one container and returns a verdict with its evidence, or null.
 * Thresholds follow the alert rules: a peak at 90 % of the limit is near it, 97 % is critical.
 */
import { Facts, STARTUP_MS } from './facts';
import { linearFit, maxOf, meanOf } from './series-stats';
import { DiagnosisInput, Severity, Verdict } from './types';

export const NEAR_LIMIT = 0.9;
export const CRITICAL_LIMIT = 0.97;
/** Sampled monitoring below this share of the limit looks healthy on a dashboard. */
const LOOKS_FINE = 0.85;
const MiB = 1024 * 1024;

type Rule = (input: DiagnosisInput, facts: Facts) => Verdict | null;

function ratio(part: number | null, whole: number | null): number | null {
  return part === null || whole === null || whole <= 0 ? null : part / whole;
}

function pct(r: number | null): string {
  if (r === null) {
    return 'unknown';
  }
  // One decimal below 10 %, where the difference between 7 % and 8 % of headroom matters.
  return Math.abs(r) < 0.1 ? `${Math.round(r * 1000) / 10} %` : `${Math.round(r * 100)} %`;
}

function mib(bytes: number | null): string {
  return bytes === null ? 'unknown' : `${Math.round((bytes / MiB) * 10) / 10} MiB`;
}

function severityOf(r: number | null): Severity {
  if (r === null) {
    return 'info';
  }
  return r >= CRITICAL_LIMIT ? 'critical' : r >= NEAR_LIMIT ? 'warning' : 'info';
}

/**
 * Usage near the limit (and at the peak) that memory the kernel can reclaim (page cache, reclaimable slab) explains, with no OOM kill:
 * a peak at the limit is then the cache filling it, which the kernel drops before it kills.
 */
export function reclaimableExplainsPeak(input: DiagnosisInput, f: Facts, maxUnreclaimable = 0.75): boolean {
  const unreclaimableToLimit = ratio(f.unreclaimableBytes, f.limitBytes);
  // Today's composition only explains the peak while usage is still at it; a past spike may have been anything.
  const usage = input.memory.usageBytes;
  const atPeak = usage !== null && f.truePeakBytes !== null && usage >= 0.9 * f.truePeakBytes;
  return atPeak && input.oomKills === 0 && unreclaimableToLimit !== null && unreclaimableToLimit < maxUnreclaimable;
}

function inStartup(input: DiagnosisInput, timeMs: number | null): boolean {
  return input.startedMs !== null && timeMs !== null && timeMs - input.startedMs <= STARTUP_MS;
}

/** A peak near the limit that sampled monitoring never showed. */
export const transientSpike: Rule = (input, f) => {
  const peakToLimit = ratio(f.truePeakBytes, f.limitBytes);
  const sampledToLimit = ratio(f.sampledMaxBytes, f.limitBytes);
  if (peakToLimit === null || sampledToLimit === null || !f.peakFromKernel) {
    return null;
  }
  if (peakToLimit < NEAR_LIMIT || sampledToLimit >= LOOKS_FINE || inStartup(input, f.peakTimeMs)) {
    return null;
  }
  // Half the limit: a brief anonymous spike from a lower baseline still counts; a cache-filled cgroup does not.
  if (reclaimableExplainsPeak(input, f, 0.5) && (input.memory.fileBytes ?? 0) + (input.memory.slabReclaimableBytes ?? 0) > 0) {
    return null;
  }
  const exact = input.peaks.some((p) => p.exact);
  return {
    kind: 'transient-spike',
    severity: input.oomKills > 0 ? 'critical' : severityOf(peakToLimit),
    confidence: exact ? 0.9 : 0.6,
    summary:
      `Memory spiked briefly to ${pct(peakToLimit)} of the limit (${mib(f.truePeakBytes)} of ${mib(f.limitBytes)}) ` +
      `while sampled monitoring never showed more than ${pct(sampledToLimit)}` +
      (input.oomKills > 0 ? `; the kernel OOM-killed it ${input.oomKills} time(s).` : '.'),
    evidence: {
      truePeakBytes: f.truePeakBytes,
      sampledMaxBytes: f.sampledMaxBytes,
      limitBytes: f.limitBytes,
      peakToLimit,
      sampledMaxToLimit: sampledToLimit,
      oomKills: input.oomKills,
      peakSource: exact ? 'exact window peaks' : 'lifetime peak',
    },
  };
};

/** The highest peak falls in the first minutes after start and steady state is far below it. */
export const startupSpike: Rule = (input, f) => {
  if (f.startupPeakBytes === null || f.steadyBytes === null || f.truePeakBytes === null) {
    return null;
  }
  if (f.startupPeakBytes < f.truePeakBytes * 0.98 || f.steadyBytes > f.startupPeakBytes * 0.6) {
    return null;
  }
  const peakToLimit = ratio(f.startupPeakBytes, f.limitBytes);
  const steadyToLimit = ratio(f.steadyBytes, f.limitBytes);
  // Limits sized from steady state usually allow two to four times it.
  const steadySizedLimit = f.steadyBytes * 4;
  const severity: Severity =
    peakToLimit !== null && peakToLimit >= CRITICAL_LIMIT ? 'critical' : peakToLimit !== null && peakToLimit >= 0.8 ? 'warning' : 'info';
  return {
    kind: 'startup-spike',
    severity,
    confidence: 0.85,
    summary:
      `The highest peak, ${mib(f.startupPeakBytes)} (${pct(peakToLimit)} of the limit), came in the first ` +
      `${STARTUP_MS / 60_000} minutes after start; steady state is ${mib(f.steadyBytes)}. This is a startup spike, ` +
      `not a leak: a limit sized from steady state (2–4× it, up to ${mib(steadySizedLimit)}) would be below the ` +
      `startup peak and kill the container at every start.`,
    evidence: {
      startupPeakBytes: f.startupPeakBytes,
      steadyBytes: f.steadyBytes,
      limitBytes: f.limitBytes,
      startupPeakToLimit: peakToLimit,
      steadyToLimit,
      steadySizedLimitBytes: steadySizedLimit,
    },
  };
};

/** Usage near the limit, but what the kernel can reclaim (page cache, reclaimable slab) explains it. */
export const reclaimableMemory: Rule = (input, f) => {
  const usage = input.memory.usageBytes ?? f.truePeakBytes;
  const usageToLimit = ratio(usage, f.limitBytes);
  const unreclaimableToLimit = ratio(f.unreclaimableBytes, f.limitBytes);
  if (usageToLimit === null || unreclaimableToLimit === null || usageToLimit < NEAR_LIMIT) {
    return null;
  }
  if (!reclaimableExplainsPeak(input, f)) {
    return null;
  }
  const workingSetToLimit = ratio(input.memory.workingSetBytes, f.limitBytes);
  const reclaimable = usage !== null && f.unreclaimableBytes !== null ? usage - f.unreclaimableBytes : null;
  const cache = (input.memory.fileBytes ?? 0) >= (input.memory.slabReclaimableBytes ?? 0) ? 'page cache' : 'reclaimable kernel memory';
  return {
    kind: 'reclaimable-memory',
    severity: 'ok',
    confidence: input.memory.anonBytes !== null ? 0.9 : 0.5,
    summary:
      `Usage is ${pct(usageToLimit)} of the limit, but it is dominated by ${cache}, which the kernel reclaims ` +
      `before it kills: memory it cannot reclaim is ${mib(f.unreclaimableBytes)} (${pct(unreclaimableToLimit)}), ` +
      `working set ${pct(workingSetToLimit)}. No risk.`,
    evidence: {
      usageBytes: usage,
      unreclaimableBytes: f.unreclaimableBytes,
      reclaimableBytes: reclaimable,
      usageToLimit,
      unreclaimableToLimit,
      workingSetToLimit,
      anonToLimit: ratio(input.memory.anonBytes, f.limitBytes),
    },
  };
};

/** The allocator holds far more than the program uses, or anon climbs in steps with many threads (arenas). */
export const allocatorRetention: Rule = (input, f): Verdict | null => {
  const live = input.allocator.map((a) => a.allocatedBytes);
  const resident = input.allocator.at(-1)?.residentBytes ?? null;
  const liveMean = meanOf(live);
  const anon = input.memory.anonBytes;
  const anonToLimit = ratio(anon, f.limitBytes);
  const headroom = anonToLimit === null ? null : 1 - anonToLimit;

  if (liveMean !== null && anon !== null && liveMean > 0) {
    const liveMax = maxOf(live) ?? liveMean;
    const liveFlat = (liveMax - Math.min(...live)) / liveMean < 0.1;
    const held = Math.max(anon, resident ?? 0);
    if (held < liveMean * 2) {
      return null;
    }
    return {
      kind: 'allocator-retention',
      severity: headroom !== null && headroom < 0.1 ? 'warning' : 'info',
      confidence: liveFlat ? 0.85 : 0.6,
      summary:
        `The allocator keeps ${mib(resident ?? anon)} resident while the program holds ${mib(liveMean)} ` +
        `(anon ${mib(anon)}, headroom ${pct(headroom)}). ` +
        (liveFlat
          ? 'Live bytes are flat, so this is memory freed and kept by the allocator, not a leak.'
          : 'Live bytes move too; part of the growth may be the program.'),
      evidence: {
        allocatedBytes: liveMean,
        residentBytes: resident,
        anonBytes: anon,
        headroomRatio: headroom,
        liveFlat: liveFlat ? 'yes' : 'no',
      },
    };
  }

  const stepped = f.growthStepShare !== null && f.growthStepShare >= 0.6;
  if (stepped && input.threads !== null && input.threads >= 16 && f.growthPerHour !== null && f.growthPerHour > 0) {
    return {
      kind: 'allocator-retention',
      severity: f.hoursToLimit !== null && f.hoursToLimit < 2 ? 'critical' : 'warning',
      confidence: 0.6,
      summary:
        `Anonymous memory climbs in steps (${mib(f.growthPerHour)} per hour) with ${input.threads} threads: ` +
        `allocator arenas multiplied by threads keep what each burst took. The file-backed part ` +
        `(${mib(input.memory.fileBytes)}) is not the risk. At this rate usage reaches the limit in about ` +
        `${f.hoursToLimit?.toFixed(1)} h.`,
      evidence: {
        anonBytes: anon,
        fileBytes: input.memory.fileBytes,
        threads: input.threads,
        growthBytesPerHour: f.growthPerHour,
        stepShare: f.growthStepShare,
        hoursToLimit: f.hoursToLimit,
        hoursToOom: f.hoursToOom,
      },
    };
  }
  return null;
};

/** The baseline grows with the thread count (stacks, per-thread arenas and caches). */
export const threadCost: Rule = (input, f) => {
  const samples = input.threadSamples;
  const counts = new Set(samples.map((s) => s.threads));
  if (counts.size < 2) {
    return null;
  }
  const fit = linearFit(samples.map((s) => ({ timeMs: s.threads, bytes: s.anonBytes })));
  if (fit === null && samples.length !== 2) {
    return null;
  }
  const [a, b] = [...samples].sort((x, y) => x.threads - y.threads);
  const last = samples.reduce((m, s) => (s.threads > m.threads ? s : m));
  const first = samples.reduce((m, s) => (s.threads < m.threads ? s : m));
  const perThread = fit ? fit.slope : (b.anonBytes - a.anonBytes) / (b.threads - a.threads);
  const threadShare = (perThread * (last.threads - first.threads)) / last.anonBytes;
  if (perThread < MiB / 2 || threadShare < 0.25) {
    return null;
  }
  const threads = input.threads ?? last.threads;
  return {
    kind: 'threads',
    severity: severityOf(ratio(last.anonBytes, f.limitBytes)),
    confidence: samples.length > 2 && fit && fit.r2 > 0.9 ? 0.85 : 0.7,
    summary:
      `Memory grows about ${mib(perThread)} per thread: ${first.threads} thread(s) use ${mib(first.anonBytes)}, ` +
      `${last.threads} use ${mib(last.anonBytes)}. Cap worker threads to the CPU limit rather than the host's cores.`,
    evidence: {
      threads,
      perThreadBytes: perThread,
      baselineBytes: first.anonBytes - perThread * (first.threads - 1),
      anonBytesAtMostThreads: last.anonBytes,
      threadShare,
    },
  };
};

/** Memory the kernel cannot reclaim rises along a line: the limit is a matter of time. */
export const steadyGrowth: Rule = (input, f) => {
  const fit = f.growthFit;
  if (fit === null || f.growthPerHour === null || f.growthPerHour <= 0 || fit.r2 < 0.9 || fit.spanMs < 10 * 60_000) {
    return null;
  }
  if (f.growthStepShare !== null && f.growthStepShare >= 0.6 && (input.threads ?? 0) >= 16) {
    return null;
  }
  const hours = f.hoursToOom;
  return {
    kind: 'steady-growth',
    severity: hours !== null && hours < 1 ? 'critical' : hours !== null && hours < 24 ? 'warning' : 'info',
    confidence: Math.min(0.9, fit.r2),
    summary:
      `Memory the kernel cannot reclaim rises steadily, ${mib(f.growthPerHour)} per hour ` +
      (hours !== null ? `; it reaches the limit in about ${hours.toFixed(1)} h.` : '; the container has no limit.'),
    evidence: {
      unreclaimableBytes: f.unreclaimableBytes,
      growthBytesPerHour: f.growthPerHour,
      r2: fit.r2,
      hoursToOom: hours,
      hoursToLimit: f.hoursToLimit,
    },
  };
};

/** The limit leaves less room over the average than the observed peaks need. */
export const limitCloseToAverage: Rule = (input, f) => {
  if (f.limitBytes === null || f.sampledMeanBytes === null || f.truePeakBytes === null || f.sampledMeanBytes <= 0) {
    return null;
  }
  if (reclaimableExplainsPeak(input, f) && ratio(input.memory.usageBytes, f.limitBytes)! >= NEAR_LIMIT) {
    return null;
  }
  const peakToAverage = f.truePeakBytes / f.sampledMeanBytes;
  const limitToAverage = f.limitBytes / f.sampledMeanBytes;
  // Ten percent over the observed peak is the least room a limit needs.
  if (limitToAverage >= peakToAverage * 1.1) {
    return null;
  }
  return {
    kind: 'limit-close-to-average',
    severity: limitToAverage < peakToAverage ? 'critical' : 'warning',
    confidence: f.peakFromKernel ? 0.8 : 0.5,
    summary:
      `The limit is ${limitToAverage.toFixed(2)}× the average (${mib(f.sampledMeanBytes)}), but peaks reach ` +
      `${peakToAverage.toFixed(2)}× the average: the limit needs at least ${mib(f.truePeakBytes * 1.1)}.`,
    evidence: {
      averageBytes: f.sampledMeanBytes,
      truePeakBytes: f.truePeakBytes,
      limitBytes: f.limitBytes,
      peakToAverage,
      limitToAverage,
    },
  };
};

/** A managed heap whose maximum plus the memory outside it does not fit the limit. */
export const heapSizedToLimit: Rule = (input, f) => {
  const heap = input.runtimeHeap;
  if (heap === null || f.limitBytes === null) {
    return null;
  }
  const configToLimit = (heap.heapMaxBytes + heap.nonHeapBytes) / f.limitBytes;
  if (configToLimit <= 0.95) {
    return null;
  }
  const anonToLimit = ratio(input.memory.anonBytes, f.limitBytes);
  // The heap grows to its maximum before the collector works hard, so a configuration that cannot fit is
  // critical once memory is this close.
  const critical = anonToLimit !== null && anonToLimit >= 0.95;
  return {
    kind: 'heap-sized-to-limit',
    severity: critical ? 'critical' : 'warning',
    confidence: 0.85,
    summary:
      `Configuration: the heap maximum (${mib(heap.heapMaxBytes)}) plus memory outside the heap ` +
      `(${mib(heap.nonHeapBytes)}) is ${pct(configToLimit)} of the limit. The heap is growing to its maximum, ` +
      `which is not a leak; anon is at ${pct(anonToLimit)} of the limit. Lower the heap maximum or raise the limit.`,
    evidence: {
      heapMaxBytes: heap.heapMaxBytes,
      nonHeapBytes: heap.nonHeapBytes,
      limitBytes: f.limitBytes,
      configToLimit,
      anonToLimit,
    },
  };
};

/** Another container of the same pod is the one at risk, each judged against its own limit. */
export const siblingAtRisk: Rule = (input) => {
  let worst: { container: string; ratio: number; bytes: number; limitBytes: number } | null = null;
  for (const s of input.siblings) {
    const bytes = Math.max(s.peakBytes ?? 0, s.workingSetBytes ?? 0);
    const r = ratio(bytes, s.limitBytes);
    if (r !== null && r >= NEAR_LIMIT && (worst === null || r > worst.ratio)) {
      worst = { container: s.container, ratio: r, bytes, limitBytes: s.limitBytes! };
    }
  }
  if (worst === null) {
    return null;
  }
  return {
    kind: 'sibling-at-risk',
    severity: severityOf(worst.ratio),
    confidence: 0.9,
    summary:
      `The risk in this pod is container "${worst.container}" at ${pct(worst.ratio)} of its own limit ` +
      `(${mib(worst.bytes)} of ${mib(worst.limitBytes)}), not this one.`,
    evidence: {
      container: worst.container,
      containerBytes: worst.bytes,
      containerLimitBytes: worst.limitBytes,
      containerToLimit: worst.ratio,
    },
  };
};

/** The container holds more than its limit allows (working set, anon or peak at or above it). */
export const overLimit: Rule = (input, f) => {
  const held = maxOf(
    [input.memory.workingSetBytes, input.memory.anonBytes].filter((v): v is number => v !== null)
  );
  const r = ratio(held, f.limitBytes);
  if (r === null || r < 1) {
    return null;
  }
  return {
    kind: 'over-limit',
    severity: 'critical',
    confidence: 0.95,
    summary: `Memory the kernel cannot drop is ${pct(r)} of the limit (${mib(held)} of ${mib(f.limitBytes)}).`,
    evidence: { heldBytes: held, limitBytes: f.limitBytes, heldToLimit: r },
  };
};

/** All rules, most specific first. */
export const RULES: readonly Rule[] = [
  overLimit,
  heapSizedToLimit,
  transientSpike,
  startupSpike,
  allocatorRetention,
  threadCost,
  steadyGrowth,
  reclaimableMemory,
  limitCloseToAverage,
  siblingAtRisk,
];
