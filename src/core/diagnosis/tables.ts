/** The Diagnosis and Recommendations query types' tables, in the plain frame form the adapter hands to Grafana. */
import type { Column, ColumnFrame } from '../frame';
import type { Notice } from '../notice';
import { Recommendation, Sizing } from './sizing';
import { Diagnosis } from './types';

function stringColumn(
  name: string,
  displayName: string,
  values: Array<string | null>,
  emphasize?: Column['emphasize']
): Column {
  return { name, type: 'string', displayName, values, ...(emphasize ? { emphasize } : {}) };
}

function numberColumn(name: string, displayName: string, values: Array<number | null>, unit?: string): Column {
  return { name, type: 'number', displayName, values, unit };
}

/** One row per container: the main verdict, its evidence, confidence, and the checklist answers. */
export function diagnosisTable(diagnoses: readonly Diagnosis[], notices: Notice[] = []): ColumnFrame {
  const main = diagnoses.map((d) => d.verdicts[0]);
  return {
    name: 'Diagnosis',
    fields: [
      stringColumn(
        'namespace',
        'Namespace',
        diagnoses.map((d) => d.namespace)
      ),
      stringColumn(
        'pod',
        'Pod',
        diagnoses.map((d) => d.pod)
      ),
      stringColumn(
        'container',
        'Container',
        diagnoses.map((d) => d.container)
      ),
      stringColumn(
        'verdict',
        'Verdict',
        main.map((v) => v.kind)
      ),
      stringColumn(
        'severity',
        'Severity',
        main.map((v) => v.severity),
        { critical: 'red', warning: 'orange', ok: 'green' }
      ),
      numberColumn(
        'confidence',
        'Confidence',
        main.map((v) => v.confidence),
        'percentunit'
      ),
      stringColumn(
        'summary',
        'Evidence',
        main.map((v) => v.summary)
      ),
      stringColumn(
        'otherVerdicts',
        'Also',
        diagnoses.map(
          (d) =>
            d.verdicts
              .slice(1)
              .map((v) => `${v.kind} (${v.severity})`)
              .join(', ') || null
        )
      ),
      numberColumn(
        'truePeak',
        'True peak',
        diagnoses.map((d) => d.truePeakBytes),
        'bytes'
      ),
      numberColumn(
        'peakToLimit',
        'Peak / limit',
        diagnoses.map((d) => d.peakToLimit),
        'percentunit'
      ),
      stringColumn(
        'spikedBriefly',
        'Spiked briefly?',
        diagnoses.map((d) => d.checklist.spikedBriefly)
      ),
      stringColumn(
        'threadsAddingUp',
        'Threads adding up?',
        diagnoses.map((d) => d.checklist.threadsAddingUp)
      ),
      stringColumn(
        'limitTooCloseToAverage',
        'Limit too close to average?',
        diagnoses.map((d) => d.checklist.limitTooCloseToAverage)
      ),
      stringColumn(
        'cacheUnbounded',
        'Cache unbounded?',
        diagnoses.map((d) => d.checklist.cacheUnbounded)
      ),
      stringColumn(
        'metricsLagging',
        'Metrics lagging behind the peak?',
        diagnoses.map((d) => d.checklist.metricsLagging)
      ),
    ],
    notices,
    meta: { type: 'table' },
  };
}

const NO_SURVIVE = 'no: OOM at the recorded peak';

export interface SizedContainer {
  namespace: string | null;
  pod: string | null;
  container: string | null;
  currentRequestBytes: number | null;
  currentLimitBytes: number | null;
  sizing: Sizing;
}

/** One row per container and recommender: ours beside the VPA-style and KRR-style ones, and whether each survives. */
export function recommendationsTable(sized: readonly SizedContainer[], notices: Notice[] = []): ColumnFrame {
  const rows: Array<{ c: SizedContainer; r: Recommendation }> = [];
  for (const c of sized) {
    for (const r of c.sizing.recommendations) {
      rows.push({ c, r });
    }
  }
  const survives = (v: boolean | null) => (v === null ? null : v ? 'yes' : NO_SURVIVE);
  return {
    name: 'Recommendations',
    fields: [
      stringColumn(
        'namespace',
        'Namespace',
        rows.map(({ c }) => c.namespace)
      ),
      stringColumn(
        'pod',
        'Pod',
        rows.map(({ c }) => c.pod)
      ),
      stringColumn(
        'container',
        'Container',
        rows.map(({ c }) => c.container)
      ),
      stringColumn(
        'recommender',
        'Recommender',
        rows.map(({ r }) => r.recommender)
      ),
      numberColumn(
        'currentRequest',
        'Current request',
        rows.map(({ c }) => c.currentRequestBytes),
        'bytes'
      ),
      numberColumn(
        'currentLimit',
        'Current limit',
        rows.map(({ c }) => c.currentLimitBytes),
        'bytes'
      ),
      numberColumn(
        'request',
        'Recommended request',
        rows.map(({ r }) => r.requestBytes),
        'bytes'
      ),
      numberColumn(
        'limit',
        'Recommended limit',
        rows.map(({ r }) => r.limitBytes),
        'bytes'
      ),
      numberColumn(
        'demand',
        'Must hold',
        rows.map(({ c }) => c.sizing.demandBytes),
        'bytes'
      ),
      stringColumn(
        'survivesPeak',
        'Survives the recorded peak',
        rows.map(({ r }) => survives(r.survivesPeak)),
        {
          [NO_SURVIVE]: 'red',
        }
      ),
      stringColumn(
        'reasoning',
        'Reasoning',
        rows.map(({ r }) => r.reasoning.join('; ') || null)
      ),
    ],
    notices,
    meta: { type: 'table' },
  };
}
