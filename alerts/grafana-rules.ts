/**
 * The rules as Grafana-managed alert rules (file provisioning, apiVersion 1), plus example contact points and
 * notification policies. Each rule queries the Prometheus data source with uid `prometheus`: A is the rule's
 * expression, B reduces it to its last value, C applies the threshold; extra instant queries feed the summary.
 */
import { detailQuery, detailRefId, grafanaWriter } from './annotation-writers';
import { HEADROOM_RULES, HeadroomAlertRule, runbookUrl } from './rules';

export const PROMETHEUS_DATASOURCE_UID = 'prometheus';
export const ALERT_FOLDER = 'Headroom';
export const CONTACT_POINT = 'headroom-oncall';

const LOOKBACK_SECONDS = 600;

function prometheusQuery(refId: string, expr: string) {
  return {
    refId,
    relativeTimeRange: { from: LOOKBACK_SECONDS, to: 0 },
    datasourceUid: PROMETHEUS_DATASOURCE_UID,
    model: { refId, expr, instant: true, range: false, intervalMs: 30000, maxDataPoints: 43200 },
  };
}

function expression(refId: string, model: Record<string, unknown>) {
  return {
    refId,
    datasourceUid: '__expr__',
    model: { refId, datasource: { type: '__expr__', uid: '__expr__' }, ...model },
  };
}

/** Go templates compare floats only with floats: write 1 as 1.0. */
const templateFloat = (n: number) => (Number.isInteger(n) ? n.toFixed(1) : String(n));

/** Grafana evaluates one rule per name: the severity label is chosen from the value by the same thresholds. */
function severityLabel(rule: HeadroomAlertRule): string {
  const [lowest, ...higher] = rule.severities;
  return higher.reduceRight(
    (otherwise: string, { severity, threshold }) =>
      `{{ if ge $values.B.Value ${templateFloat(threshold)} }}${severity}{{ else }}${otherwise}{{ end }}`,
    lowest.severity
  );
}

/** Converts a Prometheus duration (`15m`) to Grafana's (`15m`, `0s` for zero). */
function grafanaFor(duration: string): string {
  return /^0[smh]$/.test(duration) ? '0s' : duration;
}

/** One Grafana-managed rule. */
export function grafanaRule(rule: HeadroomAlertRule) {
  const lowest = rule.severities[0].threshold;
  const evaluator = rule.firesWhen === 'above' ? { type: 'gte', params: [lowest] } : { type: 'lt', params: [lowest] };

  return {
    uid: `headroom-${rule.name.replace(/^Headroom/, '').replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}`,
    title: rule.name,
    condition: 'C',
    data: [
      prometheusQuery('A', rule.expr),
      expression('B', { type: 'reduce', expression: 'A', reducer: 'last', settings: { mode: 'dropNN' } }),
      expression('C', { type: 'threshold', expression: 'B', conditions: [{ evaluator }] }),
      ...Object.entries(rule.details).map(([name, expr]) => prometheusQuery(detailRefId(name), detailQuery(expr, ''))),
    ],
    noDataState: 'OK',
    execErrState: 'Error',
    for: grafanaFor(rule.for),
    labels: { severity: severityLabel(rule) },
    annotations: {
      summary: rule.summary(grafanaWriter()),
      description: rule.description,
      runbook_url: runbookUrl(rule.name),
    },
    isPaused: false,
  };
}

/** The provisioning file with every Headroom rule in one group. */
export function grafanaAlertRules() {
  return {
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: 'headroom-memory',
        folder: ALERT_FOLDER,
        interval: '30s',
        rules: HEADROOM_RULES.map(grafanaRule),
      },
    ],
  };
}

/** Example contact point: a webhook to replace with the team's receiver. */
export function grafanaContactPoints() {
  return {
    apiVersion: 1,
    contactPoints: [
      {
        orgId: 1,
        name: CONTACT_POINT,
        receivers: [
          {
            uid: 'headroom-oncall-webhook',
            type: 'webhook',
            settings: { url: 'http://alert-receiver.monitoring.svc:8080/headroom', httpMethod: 'POST' },
            disableResolveMessage: false,
          },
        ],
      },
    ],
  };
}

/**
 * Example notification policy tree. Provisioning a policy tree replaces the organisation's whole tree, so merge
 * this route into an existing one rather than loading the file as is.
 */
export function grafanaNotificationPolicies() {
  return {
    apiVersion: 1,
    policies: [
      {
        orgId: 1,
        receiver: 'grafana-default-email',
        group_by: ['grafana_folder', 'alertname'],
        routes: [
          {
            receiver: CONTACT_POINT,
            object_matchers: [['alertname', '=~', 'Headroom.*']],
            group_by: ['alertname', 'namespace', 'pod', 'container'],
            group_wait: '10s',
            group_interval: '1m',
            repeat_interval: '4h',
            routes: [
              { receiver: CONTACT_POINT, object_matchers: [['severity', '=', 'critical']], repeat_interval: '1h' },
            ],
          },
        ],
      },
    ],
  };
}
