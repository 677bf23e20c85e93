/**
 * Headroom's alert rules, written once. `generate.ts` turns them into a Prometheus rule file, a Prometheus Operator
 * `PrometheusRule` and Grafana-managed rules. All rules read the peak sidecar's metrics; kube-state-metrics is used
 * only for an OOM kill the sidecar could not see (the container's cgroup was gone before it was read).
 *
 * Every `expr` returns one value per namespace/pod/container and has no comparison in it: the comparison is
 * `firesWhen` + the severity thresholds, so Grafana can reduce the value and apply the same threshold.
 * In `details`, `SEL` stands for the alert's own namespace/pod/container matchers.
 */

export type Severity = 'warning' | 'critical';

/** How a value is written in an annotation. */
export type ValueFormat = 'bytes' | 'percent' | 'count' | 'duration';

export interface SeverityThreshold {
  severity: Severity;
  threshold: number;
}

/** Builds annotation text; each output form (Prometheus, Grafana) supplies its own template syntax. */
export interface AnnotationWriter {
  /** `namespace/pod/container` of the alert. */
  container: string;
  /** The rule's own value (the result of `expr`). */
  value(format: ValueFormat): string;
  /** The value of one of the rule's `details` queries for this container. */
  detail(name: string, format: ValueFormat): string;
}

export interface HeadroomAlertRule {
  name: string;
  /** PromQL, one series per namespace/pod/container, no comparison. */
  expr: string;
  /** `above`: fires while value ≥ threshold; `below`: while value < threshold. */
  firesWhen: 'above' | 'below';
  /** Ascending thresholds; with several, each severity owns the band up to the next threshold. */
  severities: SeverityThreshold[];
  for: string;
  /** Instant queries the summary quotes, per series (`{SEL}` = this container's matchers); each form aggregates them. */
  details: Record<string, string>;
  summary(w: AnnotationWriter): string;
  description: string;
}

/**
 * Where `runbook_url` points: the README's runbook, where each rule has a section `#runbook-<rule name in lower case>`.
 * Set HEADROOM_RUNBOOK_URL when generating to point at your own copy.
 */
export const RUNBOOK_URL = process.env.HEADROOM_RUNBOOK_URL ?? 'https://github.com/headroom/headroom/blob/main/README.md';

/** Labels every rule aggregates to, so a restarted container (new container_id) keeps the same alert. */
export const ALERT_BY = 'namespace, pod, container';

const PEAK = 'headroom_memory_peak_bytes';
const LIMIT = 'headroom_memory_limit_bytes';
const USAGE = 'headroom_memory_usage_bytes';
const WORKING_SET = 'headroom_memory_working_set_bytes';
const UNRECLAIMABLE = 'headroom_memory_unreclaimable_bytes';
const START = 'headroom_container_start_time_seconds';
const EVENTS = 'headroom_memory_events_total';

/** Inactive file (page cache the kernel drops first): usage − working set. */
const INACTIVE_FILE = `(${USAGE} - ${WORKING_SET})`;

/**
 * The windowed peak less the page cache the kernel would have dropped before killing, as a share of the limit.
 * A peak made of page cache (cgroup v2 fills `memory.current` up to the limit with cache) is not a risk; a peak
 * made of anon memory is. Falls back to the raw peak when the sidecar has no working set for the container.
 */
const PEAK_NET_OF_CACHE_TO_LIMIT = `(${PEAK} - ${INACTIVE_FILE}) / ${LIMIT}
  or
${PEAK} / ${LIMIT}`;

/** Same, in bytes, for the summaries. */
const PEAK_NET_OF_CACHE_BYTES = `${PEAK}{SEL} - (${USAGE}{SEL} - ${WORKING_SET}{SEL}) or ${PEAK}{SEL}`;

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');

/** Peak near limit: warning from 90 %, critical from 97 % of the limit. */
export const PEAK_WARNING_RATIO = 0.9;
export const PEAK_CRITICAL_RATIO = 0.97;

/** A startup peak warns from 85 %: startup peaks vary with input size and cache warm-up from one start to the next. */
export const STARTUP_PEAK_RATIO = 0.85;
export const STARTUP_WINDOW_SECONDS = 300;

/** A limit hit is harmless while the kernel still has at least this share of the limit in inactive file to drop. */
export const LIMIT_HIT_CACHE_CUSHION_RATIO = 0.1;

/** The limit is too close to the average when peak excursions use more than this share of the room above it. */
export const EXCURSION_TO_ROOM_RATIO = 0.8;

export const TIME_TO_LIMIT_SECONDS = 3600;

export const HEADROOM_RULES: HeadroomAlertRule[] = [
  {
    name: 'HeadroomPeakNearLimit',
    expr: `max by (${ALERT_BY}) (
  max_over_time(
    (
${indent(PEAK_NET_OF_CACHE_TO_LIMIT, 6)}
    )[5m:30s]
  )
)`,
    firesWhen: 'above',
    severities: [
      { severity: 'warning', threshold: PEAK_WARNING_RATIO },
      { severity: 'critical', threshold: PEAK_CRITICAL_RATIO },
    ],
    for: '0m',
    details: {
      peak: `max_over_time(${PEAK}{SEL}[5m])`,
      limit: `${LIMIT}{SEL}`,
      workingSet: `avg_over_time(${WORKING_SET}{SEL}[5m])`,
    },
    summary: (w) =>
      `${w.container} peaked at ${w.detail('peak', 'bytes')} against a ${w.detail('limit', 'bytes')} limit: ` +
      `${w.value('percent')} of the limit net of page cache, while the 5m average working set was ` +
      `${w.detail('workingSet', 'bytes')}.`,
    description:
      'The exact peak of the last 5 minutes, less the inactive page cache the kernel would drop before killing, ' +
      'came within 10 % (warning) or 3 % (critical) of the memory limit. A spike this short is invisible in ' +
      'scraped usage and averages; the next one may be an OOM kill. Page cache is taken out because on cgroup v2 ' +
      'memory.current fills up to the limit with file cache that costs nothing: a peak at the limit with a low ' +
      'working set does not fire.',
  },
  {
    name: 'HeadroomStartupPeakNearLimit',
    expr: `max by (${ALERT_BY}) (
  max_over_time(
    (
      (
${indent(PEAK_NET_OF_CACHE_TO_LIMIT, 8)}
      )
      and
      (time() - ${START} < ${STARTUP_WINDOW_SECONDS})
    )[15m:30s]
  )
)`,
    firesWhen: 'above',
    severities: [{ severity: 'warning', threshold: STARTUP_PEAK_RATIO }],
    for: '0m',
    details: {
      peak: `max_over_time(${PEAK}{SEL}[15m])`,
      limit: `${LIMIT}{SEL}`,
      workingSet: `${WORKING_SET}{SEL}`,
    },
    summary: (w) =>
      `${w.container} peaked at ${w.detail('peak', 'bytes')} (${w.value('percent')} of its ` +
      `${w.detail('limit', 'bytes')} limit) in its first 5 minutes; its working set is now ` +
      `${w.detail('workingSet', 'bytes')}.`,
    description:
      'In the first 5 minutes after the container started, its peak (less inactive page cache) reached 85 % ' +
      'of the limit. Startup peaks (loading data, warming caches, JIT) are often far above the steady state, ' +
      'so a limit sized from the steady-state graph will OOM-kill the container at its next start.',
  },
  {
    name: 'HeadroomLimitHit',
    expr: `sum by (${ALERT_BY}) (
  (
    increase(${EVENTS}{event="max"}[10m]) > 0
  )
  and ignoring (event)
  (
    min_over_time((${INACTIVE_FILE} / ${LIMIT})[10m:30s]) < ${LIMIT_HIT_CACHE_CUSHION_RATIO}
  )
)
unless on (${ALERT_BY})
(
  sum by (${ALERT_BY}) (increase(${EVENTS}{event="oom_kill"}[15m])) > 0
)`,
    firesWhen: 'above',
    severities: [{ severity: 'warning', threshold: 1 }],
    for: '0m',
    details: {
      limit: `${LIMIT}{SEL}`,
      workingSet: `max_over_time(${WORKING_SET}{SEL}[10m])`,
    },
    summary: (w) =>
      `${w.container} reached its ${w.detail('limit', 'bytes')} limit (${w.value('count')} hit(s) in 10 minutes) ` +
      `with little page cache left to reclaim (working set up to ${w.detail('workingSet', 'bytes')}).`,
    description:
      'The kernel counted memory.events "max" (v1: failcnt): a charge reached the limit and reclaim ran. ' +
      'This fires only while inactive page cache was under 10 % of the limit, so reclaim had to take memory ' +
      'in use; a container that merely fills its limit with cache (and survives) does not fire. ' +
      'It is the last warning before an OOM kill and stays silent once the kill happened (HeadroomOOMKilled).',
  },
  {
    name: 'HeadroomOOMKilled',
    expr: `sum by (${ALERT_BY}) (
    max_over_time(${EVENTS}{event="oom_kill"}[15m])
  - (
      (${EVENTS}{event="oom_kill"} offset 15m) + 0
      or
      (min_over_time(${EVENTS}{event="oom_kill"}[15m]) * 0 and ignoring (event) (time() - ${START} < 960))
      or
      min_over_time(${EVENTS}{event="oom_kill"}[15m])
    )
)
> 0
or on (${ALERT_BY})
sum by (${ALERT_BY}) (
  clamp_min(round(increase(kube_pod_container_status_restarts_total[15m])), 1)
  and on (namespace, pod, container)
  (kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1)
  and on (namespace, pod, container)
  (increase(kube_pod_container_status_restarts_total[15m]) > 0)
)`,
    firesWhen: 'above',
    severities: [{ severity: 'critical', threshold: 1 }],
    for: '0m',
    details: {
      limit: `${LIMIT}{SEL}`,
      peak: `max_over_time(${PEAK}{SEL}[15m])`,
    },
    summary: (w) =>
      `${w.container} was OOM-killed: ${w.value('count')} kill(s) in the last 15 minutes ` +
      `(limit ${w.detail('limit', 'bytes')}, peak ${w.detail('peak', 'bytes')}).`,
    description:
      'The oom_kill counter of memory.events (v1: memory.oom_control) increased. Counted per container ' +
      'instance: a restarted container is a new series whose counter starts at 0, so the kill stays visible ' +
      'for 15 minutes even when the new instance looks fine; a container born within the window counts its ' +
      'kills from 0. A kill of a child process increments it without a restart. When the cgroup was removed ' +
      'before the sidecar read it, kube-state-metrics (last terminated reason OOMKilled) reports the kill.',
  },
  {
    name: 'HeadroomTimeToLimit',
    expr: `min by (${ALERT_BY}) (
  clamp_min(${LIMIT} - ${UNRECLAIMABLE}, 0)
  /
  (deriv(${UNRECLAIMABLE}[1h]) > 0)
)`,
    firesWhen: 'below',
    severities: [{ severity: 'warning', threshold: TIME_TO_LIMIT_SECONDS }],
    for: '15m',
    details: {
      unreclaimable: `${UNRECLAIMABLE}{SEL}`,
      limit: `${LIMIT}{SEL}`,
      growthPerHour: `deriv(${UNRECLAIMABLE}{SEL}[1h]) * 3600`,
    },
    summary: (w) =>
      `${w.container} will reach its ${w.detail('limit', 'bytes')} limit in ${w.value('duration')}: memory the ` +
      `kernel cannot reclaim is ${w.detail('unreclaimable', 'bytes')} and grows ` +
      `${w.detail('growthPerHour', 'bytes')} per hour.`,
    description:
      'A linear fit over the last hour of unreclaimable memory (anon plus kernel memory that cannot be ' +
      'reclaimed; page cache excluded) reaches the limit within the hour, and the trend held for 15 minutes. ' +
      'Steady growth is a leak or an unbounded cache; growth in steps is often allocator arenas per thread.',
  },
  {
    name: 'HeadroomLimitTooCloseToAverage',
    expr: `max by (${ALERT_BY}) (
  (
    max_over_time(
      (
${indent(PEAK_NET_OF_CACHE_TO_LIMIT, 8)}
      )[1h:1m]
    )
    -
    avg_over_time(${WORKING_SET}[1h]) / ${LIMIT}
  )
  /
  clamp_min(1 - avg_over_time(${WORKING_SET}[1h]) / ${LIMIT}, 0.001)
)`,
    firesWhen: 'above',
    severities: [{ severity: 'warning', threshold: EXCURSION_TO_ROOM_RATIO }],
    for: '30m',
    details: {
      average: `avg_over_time(${WORKING_SET}{SEL}[1h])`,
      peak: `max_over_time((${PEAK_NET_OF_CACHE_BYTES})[1h:1m])`,
      limit: `${LIMIT}{SEL}`,
      suggested: `avg_over_time(${WORKING_SET}{SEL}[1h]) + 1.25 * (max_over_time((${PEAK_NET_OF_CACHE_BYTES})[1h:1m]) - avg_over_time(${WORKING_SET}{SEL}[1h]))`,
    },
    summary: (w) =>
      `${w.container}: peaks of ${w.detail('peak', 'bytes')} over an average working set of ` +
      `${w.detail('average', 'bytes')} use ${w.value('percent')} of the room its ${w.detail('limit', 'bytes')} ` +
      `limit leaves above the average; a limit of at least ${w.detail('suggested', 'bytes')} keeps a 25 % margin.`,
    description:
      'Over the last hour, the excursion from the average working set to the peak (less page cache) used more ' +
      'than 80 % of the room between the average and the limit. Limits sized as "average plus a bit" fail on ' +
      'bursts that graphs of averages never show. The suggested limit is the average plus 1.25 times the ' +
      'observed excursion.',
  },
];

/** The `#runbook-…` anchor of a rule in the runbook. */
export function runbookUrl(ruleName: string): string {
  return `${RUNBOOK_URL}#runbook-${ruleName.toLowerCase()}`;
}
