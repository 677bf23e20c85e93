/** Plain-text rendering of diagnoses and recommendations for the terminal. */
import type { Diagnosis, SizedContainer } from '../../src/core/diagnosis';

const MiB = 1024 * 1024;

function mib(bytes: number | null): string {
  return bytes === null ? '—' : `${(bytes / MiB).toFixed(1)} MiB`;
}

/** `namespace/pod/container`, or the container (cgroup) name alone where no pod is known. */
function label(d: Diagnosis): string {
  if (!d.namespace && !d.pod) {
    return `${d.container ?? '?'} (cgroup without a pod)`;
  }
  return `${d.namespace || '?'}/${d.pod || '?'}/${d.container || '?'}`;
}

/** One block per container: verdicts with evidence, the checklist, and the three recommendations. */
export function formatDiagnoses(diagnoses: readonly Diagnosis[], sized: readonly SizedContainer[]): string {
  const lines: string[] = [];
  diagnoses.forEach((d, i) => {
    lines.push(label(d));
    for (const v of d.verdicts) {
      lines.push(`  ${v.severity.toUpperCase().padEnd(8)} ${v.kind} (confidence ${Math.round(v.confidence * 100)} %)`);
      lines.push(`           ${v.summary}`);
    }
    const c = d.checklist;
    lines.push(
      `  checklist: spiked briefly ${c.spikedBriefly} · threads adding up ${c.threadsAddingUp} · limit too close to ` +
        `average ${c.limitTooCloseToAverage} · cache unbounded ${c.cacheUnbounded} · metrics lagging behind the peak ${c.metricsLagging}`
    );
    const s = sized[i];
    if (s) {
      lines.push(`  must hold ${mib(s.sizing.demandBytes)}; current request ${mib(s.currentRequestBytes)}, limit ${mib(s.currentLimitBytes)}`);
      for (const r of s.sizing.recommendations) {
        const survives = r.survivesPeak === null ? 'unknown' : r.survivesPeak ? 'survives' : 'OOM at the recorded peak';
        lines.push(
          `  ${r.recommender.padEnd(10)} request ${mib(r.requestBytes).padStart(12)}  limit ${mib(r.limitBytes).padStart(12)}  ${survives}`
        );
      }
    }
    lines.push('');
  });
  return lines.join('\n');
}
