/**
 * Request and limit recommendations: ours from the true peak, and, on the same data, what a VPA-style and a
 * KRR-style recommender would say — with whether each limit would have survived the recorded peak.
 */
import { Facts, factsOf } from './facts';
import { reclaimableExplainsPeak } from './verdicts';
import { quantileOf } from './series-stats';
import { DiagnosisInput } from './types';

const MiB = 1024 * 1024;
const DAY_MS = 86_400_000;

/** Margin over the true peak for our limit. */
export const LIMIT_MARGIN = 0.15;

export interface Recommendation {
  recommender: 'headroom' | 'vpa-style' | 'krr-style';
  requestBytes: number | null;
  limitBytes: number | null;
  reasoning: string[];
  /** Would this limit have held the highest charge the kernel recorded? null when the peak is unknown. */
  survivesPeak: boolean | null;
}

export interface Sizing {
  truePeakBytes: number | null;
  /** What a limit must hold (see `demandOf`). */
  demandBytes: number | null;
  recommendations: Recommendation[];
}

function roundUpMiB(bytes: number): number {
  return Math.ceil(bytes / MiB) * MiB;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / MiB) * 10) / 10} MiB`;
}

/**
 * The memory a limit must hold. Usually the true peak; where memory the kernel can reclaim explains the peak (page
 * cache, reclaimable slab) it is the working set without reclaimable slab, since the kernel drops the rest first.
 */
export function demandOf(input: DiagnosisInput, f: Facts): number | null {
  const m = input.memory;
  if (reclaimableExplainsPeak(input, f) && m.workingSetBytes !== null) {
    return Math.max(m.workingSetBytes - (m.slabReclaimableBytes ?? 0), f.unreclaimableBytes ?? 0);
  }
  return f.truePeakBytes;
}

function survives(limit: number | null, peak: number | null): boolean | null {
  if (peak === null) {
    return null;
  }
  return limit === null ? true : limit >= peak;
}

/** Ours: request near the typical working set, limit at the true peak plus a margin, never below the startup peak. */
export function headroomRecommendation(input: DiagnosisInput): Recommendation {
  const f = factsOf(input);
  const reasoning: string[] = [];

  const typical = f.sampledMedianBytes ?? f.steadyBytes ?? input.memory.workingSetBytes;

  const demand = demandOf(input, f);
  // On a tie the first name wins: a true peak that is the startup peak is named as such.
  const floors: Array<[string, number | null]> = [
    ['startup peak', f.startupPeakBytes],
    [demand === f.truePeakBytes ? 'true peak' : 'working set the kernel cannot reclaim', demand],
    [
      'heap maximum plus memory outside the heap',
      input.runtimeHeap ? input.runtimeHeap.heapMaxBytes + input.runtimeHeap.nonHeapBytes : null,
    ],
    ['anonymous memory held now', input.memory.anonBytes],
  ];
  let basis: [string, number] | null = null;
  for (const [name, value] of floors) {
    if (value !== null && (basis === null || value > basis[1])) {
      basis = [name, value];
    }
  }
  let limitBytes: number | null = null;
  if (basis !== null) {
    limitBytes = roundUpMiB(basis[1] * (1 + LIMIT_MARGIN));
    reasoning.push(`limit: the ${basis[0]} ${mib(basis[1])} plus ${LIMIT_MARGIN * 100} %`);
    if (!f.peakFromKernel) {
      reasoning.push('the peak is sampled, not the kernel\u2019s own mark: run the peak sidecar to be sure');
    }
  }
  // A request never exceeds the limit: where reclaimable memory inflates the working set, the limit bounds it.
  const requestBytes =
    typical === null ? null : limitBytes === null ? roundUpMiB(typical) : Math.min(roundUpMiB(typical), limitBytes);
  if (typical !== null) {
    reasoning.unshift(
      requestBytes !== null && requestBytes < typical
        ? `request: the median sampled working set ${mib(typical)}, capped at the limit`
        : `request: the median sampled working set, ${mib(typical)}`
    );
  }
  if (f.hoursToOom !== null && f.growthPerHour !== null) {
    reasoning.push(`memory grows ${mib(f.growthPerHour)} per hour: no limit is enough; fix the growth`);
  }
  return { recommender: 'headroom', requestBytes, limitBytes, reasoning, survivesPeak: survives(limitBytes, demand) };
}

/**
 * VPA-style, on sampled working sets only: the 90th percentile of daily peaks plus 15 %, and after an OOM kill a
 * bump to max(+100 MiB, ×1.2) of the last sample. The limit keeps the current limit-to-request ratio.
 */
export function vpaStyleRecommendation(input: DiagnosisInput): Recommendation {
  const f = factsOf(input);
  const byDay = new Map<number, number>();
  for (const s of input.sampledWorkingSet) {
    const day = Math.floor(s.timeMs / DAY_MS);
    byDay.set(day, Math.max(byDay.get(day) ?? 0, s.bytes));
  }
  const p90 = quantileOf([...byDay.values()], 0.9);
  const reasoning: string[] = [];
  let target = p90 === null ? null : p90 * 1.15;
  if (p90 !== null) {
    reasoning.push(`p90 of ${byDay.size} daily sampled peak(s) ${mib(p90)} plus 15 %`);
  }
  const last = input.sampledWorkingSet.at(-1)?.bytes ?? null;
  if (input.oomKills > 0 && last !== null) {
    const bump = Math.max(last + 100 * MiB, last * 1.2);
    if (target === null || bump > target) {
      target = bump;
      reasoning.push(`OOM kill seen: bumped to max(+100 MiB, ×1.2) of the last sample, ${mib(bump)}`);
    }
  }
  const requestBytes = target === null ? null : roundUpMiB(target);
  const ratio = input.limitBytes !== null && input.requestBytes ? input.limitBytes / input.requestBytes : 1;
  const limitBytes = requestBytes === null ? null : roundUpMiB(requestBytes * ratio);
  if (ratio !== 1) {
    reasoning.push(`limit keeps the current limit/request ratio ${ratio.toFixed(2)}`);
  }
  return { recommender: 'vpa-style', requestBytes, limitBytes, reasoning, survivesPeak: survives(limitBytes, demandOf(input, f)) };
}

/** KRR-style, on sampled working sets only: the highest sample plus 15 %, as both request and limit. */
export function krrStyleRecommendation(input: DiagnosisInput): Recommendation {
  const f = factsOf(input);
  const max = f.sampledMaxBytes;
  const value = max === null ? null : roundUpMiB(max * 1.15);
  return {
    recommender: 'krr-style',
    requestBytes: value,
    limitBytes: value,
    reasoning: max === null ? [] : [`highest sampled working set ${mib(max)} plus 15 %`],
    survivesPeak: survives(value, demandOf(input, f)),
  };
}

/** All three recommendations on the same data. */
export function sizing(input: DiagnosisInput): Sizing {
  return {
    truePeakBytes: factsOf(input).truePeakBytes,
    demandBytes: demandOf(input, factsOf(input)),
    recommendations: [headroomRecommendation(input), vpaStyleRecommendation(input), krrStyleRecommendation(input)],
  };
}
