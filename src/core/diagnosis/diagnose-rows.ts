/** Diagnose and size every joined container, each beside the other containers of its pod. */
import type { ContainerRow } from '../containers';
import { diagnose } from './diagnose';
import { ContainerSettings, diagnosisInputFromRow, rowsByPod } from './from-row';
import { sizing } from './sizing';
import { SizedContainer } from './tables';
import { Diagnosis } from './types';

export interface DiagnosedRows {
  diagnoses: Diagnosis[];
  sized: SizedContainer[];
}

/** `settingsFor` supplies what the pod spec does not say (a configured heap maximum), per container. */
export function diagnoseRows(
  rows: readonly ContainerRow[],
  nowMs: number,
  settingsFor: (row: ContainerRow) => ContainerSettings = () => ({})
): DiagnosedRows {
  const diagnoses: Diagnosis[] = [];
  const sized: SizedContainer[] = [];
  for (const pod of rowsByPod(rows).values()) {
    for (const row of pod) {
      const input = diagnosisInputFromRow(row, pod, nowMs, settingsFor(row));
      diagnoses.push(diagnose(input));
      sized.push({
        namespace: row.namespace,
        pod: row.pod,
        container: row.container,
        currentRequestBytes: row.requestBytes,
        currentLimitBytes: row.limitBytes,
        sizing: sizing(input),
      });
    }
  }
  return { diagnoses, sized };
}
