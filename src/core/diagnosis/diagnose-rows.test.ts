import { readFileSync } from 'node:fs';

import { joinContainers, parseSummary } from '..';
import { sharedPath } from '../../test-support/shared';
import { diagnoseRows } from './diagnose-rows';
import { diagnosisTable, recommendationsTable } from './tables';

const MiB = 1024 * 1024;

function minikubeRows() {
  const body = JSON.parse(readFileSync(sharedPath('fixtures/kubelet-summary/minikube-2020.json'), 'utf8'));
  const { summary } = parseSummary(body, 'minikube');
  return joinContainers({ summaries: [summary!], pods: null });
}

describe('diagnosing the containers of a real kubelet summary', () => {
  test('every container gets a verdict, and coredns at its recovered 170 MiB limit is judged against it', () => {
    const rows = minikubeRows();
    const { diagnoses, sized } = diagnoseRows(rows, Date.UTC(2020, 0, 1));

    expect(diagnoses).toHaveLength(rows.length);
    expect(diagnoses.every((d) => d.verdicts.length > 0)).toBe(true);
    const coredns = diagnoses.find((d) => d.container === 'coredns')!;
    const corednsRow = rows.find((r) => r.container === 'coredns')!;
    expect(corednsRow.limitBytes).toBe(170 * MiB);
    expect(coredns.peakToLimit).toBeCloseTo(corednsRow.workingSetBytes! / (170 * MiB), 6);
    expect(coredns.verdicts[0].kind).toBe('healthy');
    expect(sized).toHaveLength(rows.length);
  });

  test('containers without a limit are reported as unlimited in the Diagnosis table', () => {
    const rows = minikubeRows();
    const frame = diagnosisTable(diagnoseRows(rows, Date.UTC(2020, 0, 1)).diagnoses);
    const containers = frame.fields.find((f) => f.name === 'container')!.values;
    const summaries = frame.fields.find((f) => f.name === 'summary')!.values;
    const peakToLimit = frame.fields.find((f) => f.name === 'peakToLimit')!.values;

    const unlimited = rows.filter((r) => r.limitBytes === null).map((r) => r.container);
    expect(unlimited.length).toBeGreaterThan(0);
    for (const name of unlimited) {
      const i = containers.indexOf(name);
      expect(summaries[i]).toContain('No memory limit');
      expect(peakToLimit[i]).toBeNull();
    }
  });

  test('the Recommendations table has a row per container and recommender', () => {
    const rows = minikubeRows();
    const frame = recommendationsTable(diagnoseRows(rows, Date.UTC(2020, 0, 1)).sized);
    const recommenders = frame.fields.find((f) => f.name === 'recommender')!.values;

    expect(recommenders).toHaveLength(rows.length * 3);
    expect(new Set(recommenders)).toEqual(new Set(['headroom', 'vpa-style', 'krr-style']));
  });
});
