/**
 * Annotation template syntax for each output form. Prometheus quotes extra numbers with the `query` template
 * function; Grafana has no `query` function, so it runs the same expressions as extra instant queries and reads
 * them from `$values`. A number that is missing prints as "unknown", never as 0.
 */
import { ALERT_BY, AnnotationWriter, ValueFormat } from './rules';

const CONTAINER = '{{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }}';

const PIPES: Record<ValueFormat, string> = {
  bytes: 'humanize1024',
  percent: 'humanizePercentage',
  count: 'printf "%.0f"',
  duration: 'humanizeDuration',
};

/** Matchers of the alert's own container inside a Prometheus `printf` template. */
const PROMETHEUS_SELECTOR = '{namespace="%[1]s",pod="%[2]s",container="%[3]s"}';

/** A detail expression aggregated to one series per container, with `{SEL}` replaced by `selector`. */
export function detailQuery(expr: string, selector: string): string {
  return `max by (${ALERT_BY}) (${expr.split('{SEL}').join(selector)})`;
}

/** Prometheus rule templates: `$value` and `query`. */
export function prometheusWriter(details: Record<string, string>): AnnotationWriter {
  return {
    container: CONTAINER,
    value: (format) => `{{ $value | ${PIPES[format]} }}`,
    detail: (name, format) => {
      const query = detailQuery(details[name], PROMETHEUS_SELECTOR);
      return (
        `{{ with printf \`${query}\` $labels.namespace $labels.pod $labels.container | query }}` +
        `{{ . | first | value | ${PIPES[format]} }}{{ else }}unknown{{ end }}`
      );
    },
  };
}

/** The Grafana refId of a detail query. */
export function detailRefId(name: string): string {
  return name.toUpperCase();
}

/** Grafana-managed rule templates: `$values.<refId>`; the rule's value is the reduced query `B`. */
export function grafanaWriter(): AnnotationWriter {
  return {
    container: CONTAINER,
    value: (format) => `{{ $values.B.Value | ${PIPES[format]} }}`,
    detail: (name, format) =>
      `{{ with $values.${detailRefId(name)} }}{{ .Value | ${PIPES[format]} }}{{ else }}unknown{{ end }}`,
  };
}
