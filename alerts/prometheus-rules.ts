/** The rules as a Prometheus rule group: plain rule file and Prometheus Operator `PrometheusRule`. */
import { prometheusWriter } from './annotation-writers';
import { HEADROOM_RULES, HeadroomAlertRule, runbookUrl } from './rules';

export const RULE_GROUP_NAME = 'headroom.memory';

export interface PrometheusAlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

/** One Prometheus alerting rule per severity; with several severities each fires only in its own band. */
export function prometheusAlertingRules(rule: HeadroomAlertRule): PrometheusAlertingRule[] {
  const annotations = {
    summary: rule.summary(prometheusWriter(rule.details)),
    description: rule.description,
    runbook_url: runbookUrl(rule.name),
  };

  return rule.severities.map(({ severity, threshold }, i) => {
    const next = rule.severities[i + 1];
    const comparison =
      rule.firesWhen === 'above' ? `>= ${threshold}${next ? ` < ${next.threshold}` : ''}` : `< ${threshold}`;
    return {
      alert: rule.name,
      expr: `(\n${indent(rule.expr)}\n)\n${comparison}\n`,
      for: rule.for,
      labels: { severity },
      annotations,
    };
  });
}

/** The `groups` list shared by the rule file and the `PrometheusRule`. */
export function prometheusRuleGroups(rules: HeadroomAlertRule[] = HEADROOM_RULES) {
  return [{ name: RULE_GROUP_NAME, interval: '30s', rules: rules.flatMap(prometheusAlertingRules) }];
}

/** A Prometheus `rule_files` document. */
export function prometheusRuleFile() {
  return { groups: prometheusRuleGroups() };
}

/** The same rules as a Prometheus Operator custom resource. */
export function prometheusOperatorRule() {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'headroom',
      labels: { 'app.kubernetes.io/name': 'headroom', 'app.kubernetes.io/component': 'alert-rules' },
    },
    spec: { groups: prometheusRuleGroups() },
  };
}
