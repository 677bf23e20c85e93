/** Diagnose one container: verdicts with evidence, and answers to the operator's checklist. */
import { factsOf, Facts } from './facts';
import { NEAR_LIMIT, RULES } from './verdicts';
import { Checklist, ChecklistAnswer, Diagnosis, DiagnosisInput, Severity, Verdict } from './types';

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2, ok: 3 };

function answer(condition: boolean | null): ChecklistAnswer {
  return condition === null ? 'unknown' : condition ? 'yes' : 'no';
}

/** `kept` are the verdicts shown; `found` are all that fired, including those a better explanation replaced. */
function checklistOf(input: DiagnosisInput, f: Facts, kept: Verdict[], found: Verdict[]): Checklist {
  const has = (kind: Verdict['kind']) => kept.some((v) => v.kind === kind);
  const missedBySampling = has('reclaimable-memory')
    ? false
    : f.peakFromKernel && f.truePeakBytes !== null && f.sampledMaxBytes !== null
      ? f.truePeakBytes > f.sampledMaxBytes * 1.1
      : null;
  const threadsKnown = input.threadSamples.length > 0 || input.threads !== null;
  const growthKnown = f.growthFit !== null;

  return {
    spikedBriefly: has('transient-spike') || has('startup-spike') ? 'yes' : answer(missedBySampling),
    threadsAddingUp:
      has('threads') || (has('allocator-retention') && (input.threads ?? 0) >= 16)
        ? 'yes'
        : answer(threadsKnown ? false : null),
    limitTooCloseToAverage: found.some((v) => v.kind === 'limit-close-to-average')
      ? 'yes'
      : answer(f.limitBytes !== null && f.sampledMeanBytes !== null && f.truePeakBytes !== null ? false : null),
    cacheUnbounded:
      has('steady-growth') || (has('allocator-retention') && (f.growthPerHour ?? 0) > 0)
        ? 'yes'
        : answer(growthKnown || has('reclaimable-memory') ? false : null),
    metricsLagging: answer(missedBySampling),
  };
}

function healthyOrUnknown(input: DiagnosisInput, f: Facts): Verdict {
  if (f.limitBytes === null || f.limitBytes <= 0) {
    return {
      kind: 'healthy',
      severity: 'info',
      confidence: 0.5,
      summary: 'No memory limit: the container can grow until the node evicts pods; set a limit to bound it.',
      evidence: { limitBytes: null, truePeakBytes: f.truePeakBytes },
    };
  }
  if (f.truePeakBytes === null) {
    return {
      kind: 'unknown',
      severity: 'info',
      confidence: 0,
      summary: 'No memory figures are known for this container yet.',
      evidence: { limitBytes: f.limitBytes },
    };
  }
  const peakToLimit = f.truePeakBytes / f.limitBytes;
  return {
    kind: 'healthy',
    severity: 'ok',
    confidence: f.peakFromKernel ? 0.9 : 0.5,
    summary:
      `Comfortable headroom at the ${f.peakFromKernel ? 'true' : 'sampled'} peak: ` +
      `${Math.round(peakToLimit * 100)} % of the limit.` +
      (f.peakFromKernel ? '' : ' Without the peak sidecar a spike between samples could hide.'),
    evidence: { truePeakBytes: f.truePeakBytes, limitBytes: f.limitBytes, peakToLimit },
  };
}

/** Run every rule on one container; the most severe verdict comes first. */
export function diagnose(input: DiagnosisInput): Diagnosis {
  const f = factsOf(input);
  const verdicts: Verdict[] = [];
  for (const rule of RULES) {
    const v = rule(input, f);
    if (v !== null) {
      verdicts.push(v);
    }
  }
  // A brief spike or startup peak explains a near-limit peak better than "the limit is close to the average".
  const explained = verdicts.some((v) => v.kind === 'transient-spike' || v.kind === 'startup-spike');
  // A heap growing to its configured maximum is expected growth, not a leak.
  const heapGrowth = verdicts.some((v) => v.kind === 'heap-sized-to-limit');
  const kept = verdicts.filter(
    (v) =>
      !(explained && v.kind === 'limit-close-to-average' && v.severity !== 'critical') &&
      !(heapGrowth && v.kind === 'steady-growth')
  );

  const risky = kept.some((v) => v.severity === 'critical' || v.severity === 'warning');
  const peakToLimit =
    f.truePeakBytes !== null && f.limitBytes !== null && f.limitBytes > 0 ? f.truePeakBytes / f.limitBytes : null;
  if (kept.length === 0 || (!risky && (peakToLimit === null || peakToLimit < NEAR_LIMIT) && kept.every((v) => v.kind !== 'reclaimable-memory'))) {
    kept.push(healthyOrUnknown(input, f));
  }
  kept.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.confidence - a.confidence);

  return {
    namespace: input.namespace,
    pod: input.pod,
    container: input.container,
    verdicts: kept,
    checklist: checklistOf(input, f, kept, verdicts),
    truePeakBytes: f.truePeakBytes,
    peakToLimit,
  };
}
