/**
 * Field cases: situations operators have met, as diagnosis inputs with their numbers. The tests pin the verdict of
 * each, and the sizing comparison table is generated from them.
 */
import { ByteSample, DiagnosisInput, PeakSample } from './types';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A fixed "now" so the cases are reproducible: 2026-01-15T12:00:00Z. */
const NOW = Date.UTC(2026, 0, 15, 12);

export interface FieldCase {
  id: string;
  title: string;
  input: DiagnosisInput;
}

/** A container with nothing known; each case fills in what it observed. */
export function blankInput(overrides: Partial<DiagnosisInput> = {}): DiagnosisInput {
  return {
    namespace: 'shop',
    pod: 'api-7d9f8b6c5-x2x4q',
    container: 'api',
    limitBytes: null,
    requestBytes: null,
    startedMs: null,
    nowMs: NOW,
    peaks: [],
    sampledWorkingSet: [],
    lifetimePeakBytes: null,
    memory: {
      usageBytes: null,
      workingSetBytes: null,
      anonBytes: null,
      fileBytes: null,
      inactiveFileBytes: null,
      kernelBytes: null,
      slabReclaimableBytes: null,
      sockBytes: null,
    },
    unreclaimable: [],
    threads: null,
    threadSamples: [],
    allocator: [],
    oomKills: 0,
    limitHits: 0,
    restarts: 0,
    lastTerminationReason: null,
    runtimeHeap: null,
    siblings: [],
    ...overrides,
  };
}

function series(fromMs: number, toMs: number, stepMs: number, value: (tMs: number, i: number) => number): ByteSample[] {
  const out: ByteSample[] = [];
  for (let t = fromMs, i = 0; t <= toMs; t += stepMs, i++) {
    out.push({ timeMs: t, bytes: Math.round(value(t, i)) });
  }
  return out;
}

function exactPeaks(samples: ByteSample[]): PeakSample[] {
  return samples.map((s) => ({ timeMs: s.timeMs, peakBytes: s.bytes, exact: true }));
}

/** C1: a 500 ms burst to the limit between 30 s scrapes that saw 38 and 41 MiB. */
function transientSpike(): FieldCase {
  const from = NOW - 10 * MINUTE;
  const burstAt = NOW - 5 * MINUTE;
  // One-second windows holding 38–42 MiB, and the window with the burst holding the limit.
  const windows = series(from, NOW, 1000, (t, i) => (t === burstAt ? 50 * MiB : (38 + (i % 5)) * MiB));
  return {
    id: 'C1',
    title: 'transient spike between scrapes',
    input: blankInput({
      limitBytes: 50 * MiB,
      requestBytes: 40 * MiB,
      startedMs: NOW - 6 * HOUR,
      peaks: exactPeaks(windows),
      sampledWorkingSet: series(from, NOW, 30_000, (_t, i) => (i % 2 === 0 ? 38 : 41) * MiB),
      lifetimePeakBytes: 50 * MiB,
      memory: {
        usageBytes: 41 * MiB,
        workingSetBytes: 40 * MiB,
        anonBytes: 36 * MiB,
        fileBytes: 5 * MiB,
        inactiveFileBytes: 1 * MiB,
        kernelBytes: null,
        slabReclaimableBytes: null,
        sockBytes: null,
      },
      oomKills: 1,
      limitHits: 3,
      restarts: 1,
      lastTerminationReason: 'OOMKilled',
    }),
  };
}

/** C2: 916 MiB in the first 120 s, then flat near 120 MiB. */
function startupSpike(): FieldCase {
  const start = NOW - 30 * MINUTE;
  const shape = (t: number) => {
    const s = (t - start) / 1000;
    if (s <= 120) {
      return 60 * MiB + ((916 - 60) * MiB * s) / 120;
    }
    if (s <= 180) {
      return 916 * MiB - ((916 - 120) * MiB * (s - 120)) / 60;
    }
    return 120 * MiB;
  };
  return {
    id: 'C2',
    title: 'startup spike',
    input: blankInput({
      limitBytes: 1 * GiB,
      requestBytes: 256 * MiB,
      startedMs: start,
      peaks: exactPeaks(series(start, NOW, 5000, shape)),
      sampledWorkingSet: series(start + 15_000, NOW, 15_000, shape),
      lifetimePeakBytes: 916 * MiB,
      memory: {
        usageBytes: 124 * MiB,
        workingSetBytes: 120 * MiB,
        anonBytes: 112 * MiB,
        fileBytes: 12 * MiB,
        inactiveFileBytes: 4 * MiB,
        kernelBytes: null,
        slabReclaimableBytes: null,
        sockBytes: null,
      },
    }),
  };
}

/** C3: jemalloc keeps 1.8 GiB resident while the program holds 100 MB. */
function allocatorRetention(): FieldCase {
  const from = NOW - 30 * MINUTE;
  return {
    id: 'C3',
    title: 'allocator keeps freed memory (jemalloc)',
    input: blankInput({
      limitBytes: 2 * GiB,
      startedMs: NOW - 2 * HOUR,
      sampledWorkingSet: series(from, NOW, 15_000, () => 1.86 * GiB),
      allocator: series(from, NOW, MINUTE, () => 0).map((s) => ({
        timeMs: s.timeMs,
        allocatedBytes: 100_000_000,
        residentBytes: Math.round(1.8 * GiB),
      })),
      unreclaimable: series(from, NOW, MINUTE, () => 1.85 * GiB),
      memory: {
        usageBytes: Math.round(1.87 * GiB),
        workingSetBytes: Math.round(1.86 * GiB),
        anonBytes: Math.round(1.85 * GiB),
        fileBytes: Math.round(0.02 * GiB),
        inactiveFileBytes: Math.round(0.01 * GiB),
        kernelBytes: null,
        slabReclaimableBytes: null,
        sockBytes: null,
      },
      threads: 12,
    }),
  };
}

/** C4: 32 worker threads (one per host core) in a 128 MiB container. */
function threadPerCore(): FieldCase {
  return {
    id: 'C4',
    title: 'one worker thread per host core',
    input: blankInput({
      limitBytes: 128 * MiB,
      startedMs: NOW - HOUR,
      sampledWorkingSet: series(NOW - 10 * MINUTE, NOW, 15_000, () => 126 * MiB),
      threads: 32,
      threadSamples: [
        { threads: 1, anonBytes: 20 * MiB },
        { threads: 32, anonBytes: 130 * MiB },
      ],
      memory: {
        usageBytes: 131 * MiB,
        workingSetBytes: 130 * MiB,
        anonBytes: 130 * MiB,
        fileBytes: 1 * MiB,
        inactiveFileBytes: 1 * MiB,
        kernelBytes: null,
        slabReclaimableBytes: null,
        sockBytes: null,
      },
    }),
  };
}

/** C5: 68 threads, anon climbing 1.7 GiB per hour in steps towards a 10 GiB limit. */
function arenasTimesThreads(): FieldCase {
  const from = NOW - 3 * HOUR;
  // A step of 0.85 GiB every 30 minutes, the last one just before now.
  const anonAt = (t: number) => 7.4 * GiB - 0.85 * GiB * Math.floor((NOW - t) / (30 * MINUTE));
  const unreclaimable = series(from, NOW, 5 * MINUTE, anonAt);
  return {
    id: 'C5',
    title: 'arenas times threads',
    input: blankInput({
      limitBytes: 10 * GiB,
      startedMs: from - HOUR,
      sampledWorkingSet: unreclaimable.map((s) => ({ timeMs: s.timeMs, bytes: s.bytes + Math.round(0.5 * GiB) })),
      unreclaimable,
      threads: 68,
      memory: {
        usageBytes: Math.round(8.08 * GiB),
        workingSetBytes: Math.round(7.9 * GiB),
        anonBytes: Math.round(7.4 * GiB),
        fileBytes: Math.round(0.68 * GiB),
        inactiveFileBytes: Math.round(0.18 * GiB),
        kernelBytes: null,
        slabReclaimableBytes: null,
        sockBytes: null,
      },
    }),
  };
}

/** C6: page cache fills a 256 MiB cgroup; anon is 8 MiB. */
function pageCache(): FieldCase {
  return {
    id: 'C6',
    title: 'page cache fills the peak (cgroup v2)',
    input: blankInput({
      limitBytes: 256 * MiB,
      startedMs: NOW - 3 * HOUR,
      peaks: exactPeaks(series(NOW - 10 * MINUTE, NOW, 1000, () => 256 * MiB)),
      sampledWorkingSet: series(NOW - 10 * MINUTE, NOW, 15_000, () => 56 * MiB),
      lifetimePeakBytes: 256 * MiB,
      memory: {
        usageBytes: 256 * MiB,
        workingSetBytes: 56 * MiB,
        anonBytes: 8 * MiB,
        fileBytes: 246.5 * MiB,
        inactiveFileBytes: 200 * MiB,
        kernelBytes: null,
        slabReclaimableBytes: null,
        sockBytes: null,
      },
    }),
  };
}

/** C7: 4.22 GiB of kernel memory, 3.85 GiB of it reclaimable slab, counted as used. */
function reclaimableKernel(): FieldCase {
  const usage = Math.round(11.98 * GiB);
  return {
    id: 'C7',
    title: 'reclaimable kernel memory counted as used (cgroup v2)',
    input: blankInput({
      limitBytes: 12 * GiB,
      startedMs: NOW - 24 * HOUR,
      sampledWorkingSet: series(NOW - 10 * MINUTE, NOW, 15_000, () => usage),
      memory: {
        usageBytes: usage,
        workingSetBytes: usage,
        anonBytes: Math.round(7.75 * GiB),
        fileBytes: 0,
        inactiveFileBytes: 0,
        kernelBytes: Math.round(4.22 * GiB),
        slabReclaimableBytes: Math.round(3.85 * GiB),
        sockBytes: Math.round(0.01 * GiB),
      },
    }),
  };
}

/** C8: a v2 cgroup without `memory.peak`: the peak is unknown, never 0. */
function missingPeak(): FieldCase {
  return {
    id: 'C8',
    title: 'missing peak file',
    input: blankInput({
      limitBytes: 8 * GiB,
      startedMs: NOW - HOUR,
      sampledWorkingSet: series(NOW - 10 * MINUTE, NOW, 15_000, () => 1_430_000_000),
      memory: {
        usageBytes: 5_930_000_000,
        workingSetBytes: 1_430_000_000,
        anonBytes: 619_000_000,
        fileBytes: 5_311_000_000,
        inactiveFileBytes: 4_500_000_000,
        kernelBytes: null,
        slabReclaimableBytes: null,
        sockBytes: null,
      },
    }),
  };
}

/** C9: the app container is fine; its proxy sidecar is at 121 % of its own limit. */
function sidecarAtRisk(): FieldCase[] {
  const app = blankInput({
    pod: 'checkout-5f7c9d-abcde',
    container: 'app',
    limitBytes: 512 * MiB,
    startedMs: NOW - HOUR,
    sampledWorkingSet: series(NOW - 10 * MINUTE, NOW, 15_000, () => 300 * MiB),
    memory: { ...blankInput().memory, usageBytes: 310 * MiB, workingSetBytes: 300 * MiB, anonBytes: 290 * MiB },
    siblings: [{ container: 'proxy', limitBytes: 128 * MiB, workingSetBytes: 155 * MiB, peakBytes: null }],
  });
  const proxy = blankInput({
    pod: 'checkout-5f7c9d-abcde',
    container: 'proxy',
    limitBytes: 128 * MiB,
    startedMs: NOW - HOUR,
    sampledWorkingSet: series(NOW - 10 * MINUTE, NOW, 15_000, () => 155 * MiB),
    memory: { ...blankInput().memory, usageBytes: 156 * MiB, workingSetBytes: 155 * MiB, anonBytes: 150 * MiB },
    siblings: [{ container: 'app', limitBytes: 512 * MiB, workingSetBytes: 300 * MiB, peakBytes: null }],
  });
  return [
    { id: 'C9', title: 'the sidecar is the one at risk (app container)', input: app },
    { id: 'C9', title: 'the sidecar is the one at risk (proxy container)', input: proxy },
  ];
}

/** C10: a 1600 MiB heap maximum plus 700 MiB outside the heap in a 2000 MiB limit. */
function heapSizedToLimit(): FieldCase {
  const from = NOW - HOUR;
  const climb = (t: number) => 1500 * MiB + (434 * MiB * (t - from)) / HOUR;
  return {
    id: 'C10',
    title: 'managed heap sized to the whole limit',
    input: blankInput({
      limitBytes: 2000 * MiB,
      startedMs: from - HOUR,
      sampledWorkingSet: series(from, NOW, 15_000, climb),
      unreclaimable: series(from, NOW, MINUTE, climb),
      runtimeHeap: { heapMaxBytes: 1600 * MiB, nonHeapBytes: 700 * MiB },
      memory: {
        ...blankInput().memory,
        usageBytes: 1950 * MiB,
        workingSetBytes: 1940 * MiB,
        anonBytes: 1934 * MiB,
        fileBytes: 16 * MiB,
      },
    }),
  };
}

/** A healthy container for contrast: 300 MiB at the true peak in a 512 MiB limit. */
function healthy(): FieldCase {
  const windows = series(NOW - 10 * MINUTE, NOW, 1000, (_t, i) => (280 + (i % 20)) * MiB);
  return {
    id: 'H',
    title: 'comfortable headroom',
    input: blankInput({
      limitBytes: 512 * MiB,
      startedMs: NOW - 6 * HOUR,
      peaks: exactPeaks(windows),
      sampledWorkingSet: series(NOW - 10 * MINUTE, NOW, 15_000, (_t, i) => (280 + (i % 15)) * MiB),
      lifetimePeakBytes: 301 * MiB,
      memory: { ...blankInput().memory, usageBytes: 300 * MiB, workingSetBytes: 290 * MiB, anonBytes: 270 * MiB },
    }),
  };
}

/** Every field case, in order. */
export function fieldCases(): FieldCase[] {
  return [
    transientSpike(),
    startupSpike(),
    allocatorRetention(),
    threadPerCore(),
    arenasTimesThreads(),
    pageCache(),
    reclaimableKernel(),
    missingPeak(),
    ...sidecarAtRisk(),
    heapSizedToLimit(),
    healthy(),
  ];
}
