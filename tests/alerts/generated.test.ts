/** The committed rule files are exactly what `npm run alerts` writes from alerts/rules.ts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

import { renderAlertFiles, REPO_ROOT } from '../../alerts/generate';
import { HEADROOM_RULES } from '../../alerts/rules';

const files = renderAlertFiles();

describe('generated alert rule files', () => {
  it.each(Object.keys(files))(
    '%s equals the generator output (run `npm run alerts` after editing rules.ts)',
    (path) => {
      expect(readFileSync(join(REPO_ROOT, path), 'utf8')).toBe(files[path]);
    }
  );

  it('the three forms hold the same six rule names', () => {
    const names = HEADROOM_RULES.map((rule) => rule.name);
    const promRules = parse(files['deploy/prometheus/headroom.rules.yml']).groups[0].rules;
    const operatorRules = parse(files['deploy/prometheus/headroom-prometheusrule.yaml']).spec.groups[0].rules;
    const grafanaRules = parse(files['provisioning/alerting/headroom-rules.yaml']).groups[0].rules;

    expect(names).toEqual([
      'HeadroomPeakNearLimit',
      'HeadroomStartupPeakNearLimit',
      'HeadroomLimitHit',
      'HeadroomOOMKilled',
      'HeadroomTimeToLimit',
      'HeadroomLimitTooCloseToAverage',
    ]);
    expect([...new Set(promRules.map((r: { alert: string }) => r.alert))]).toEqual(names);
    expect(operatorRules).toEqual(promRules);
    expect(grafanaRules.map((r: { title: string }) => r.title)).toEqual(names);
  });

  it('every Grafana rule queries the prometheus data source in A, reduces to last in B and thresholds B in C', () => {
    const grafanaRules = parse(files['provisioning/alerting/headroom-rules.yaml']).groups[0].rules;

    for (const rule of grafanaRules) {
      const [a, b, c] = rule.data;
      expect(rule.condition).toBe('C');
      expect([a.refId, a.datasourceUid]).toEqual(['A', 'prometheus']);
      expect([b.refId, b.model.type, b.model.reducer, b.model.expression]).toEqual(['B', 'reduce', 'last', 'A']);
      expect([c.refId, c.model.type, c.model.expression]).toEqual(['C', 'threshold', 'B']);
    }
  });

  it('peak near limit warns from 90 % and turns critical from 97 % in both Prometheus and Grafana', () => {
    const promRules = parse(files['deploy/prometheus/headroom.rules.yml']).groups[0].rules;
    const peak = promRules.filter((r: { alert: string }) => r.alert === 'HeadroomPeakNearLimit');
    const grafanaPeak = parse(files['provisioning/alerting/headroom-rules.yaml']).groups[0].rules[0];

    expect(peak.map((r: { labels: { severity: string } }) => r.labels.severity)).toEqual(['warning', 'critical']);
    expect(peak[0].expr.trim().endsWith('>= 0.9 < 0.97')).toBe(true);
    expect(peak[1].expr.trim().endsWith('>= 0.97')).toBe(true);
    expect(grafanaPeak.data[2].model.conditions[0].evaluator).toEqual({ type: 'gte', params: [0.9] });
    expect(grafanaPeak.labels.severity).toBe('{{ if ge $values.B.Value 0.97 }}critical{{ else }}warning{{ end }}');
  });

  it('every rule links its runbook section', () => {
    const runbook = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

    for (const rule of HEADROOM_RULES) {
      expect(runbook).toContain(`### Runbook: ${rule.name}\n`);
    }
  });
});
